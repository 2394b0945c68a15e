import type { ElementReader } from './element-reader';
import type { JsonObject } from './types';

/** The value columns of a clinical.observations row. */
export interface ObservationValue {
  /** The FHIR value[x] type, as in the element name: `Quantity` for `valueQuantity`. */
  value_type: string | null;
  value_text: string | null;
  value_number: number | null;
  unit: string | null;
}

const NO_VALUE: ObservationValue = {
  value_type: null,
  value_text: null,
  value_number: null,
  unit: null,
};

/** Returns the name of the holder's value[x] element, such as `valueQuantity`, or undefined when it has none. */
export function findValueElement(
  holder: JsonObject,
  path: string,
  elements: ElementReader,
): string | undefined {
  const names = Object.keys(holder).filter(
    (name) => /^value[A-Z]/.test(name) && holder[name] !== undefined && holder[name] !== null,
  );
  if (names.length > 1)
    throw elements.error(`${path}.value[x]`, `${path} has more than one value[x] element`);
  return names[0];
}

/**
 * Reads the value[x] of an Observation or of one of its components. Every type
 * gets `value_text`; Quantity and integer also get `value_number`.
 * NOTE: SampledData and value types outside FHIR R4 Observation get a
 * value_type only; their data stays in raw.fhir_resources.
 */
export function readObservationValue(
  holder: JsonObject,
  path: string,
  elements: ElementReader,
): ObservationValue {
  const name = findValueElement(holder, path, elements);
  if (name === undefined) return NO_VALUE;
  const value = holder[name];
  const field = `${path}.${name}`;
  const valueType = name.slice('value'.length);

  switch (valueType) {
    case 'Quantity':
      return {
        value_type: valueType,
        ...readQuantity(elements.object(value, field), field, elements),
      };
    case 'CodeableConcept': {
      const concept = elements.object(value, field);
      const coding = elements.firstObject(concept?.['coding'], `${field}.coding`);
      const code = elements.string(coding?.['code'], `${field}.coding[0].code`);
      const text = code ?? elements.string(concept?.['text'], `${field}.text`);
      return { ...NO_VALUE, value_type: valueType, value_text: text };
    }
    case 'String':
    case 'Time':
      return { ...NO_VALUE, value_type: valueType, value_text: elements.string(value, field) };
    case 'DateTime':
      // Parsed only to reject an invalid date; the text keeps the sender's precision and zone.
      elements.dateTime(value, field);
      return { ...NO_VALUE, value_type: valueType, value_text: elements.string(value, field) };
    case 'Boolean': {
      const flag = elements.boolean(value, field);
      return {
        ...NO_VALUE,
        value_type: valueType,
        value_text: flag === null ? null : String(flag),
      };
    }
    case 'Integer': {
      const number = elements.number(value, field);
      if (number !== null && !Number.isInteger(number))
        throw elements.error(field, `${field} must be an integer`);
      return {
        ...NO_VALUE,
        value_type: valueType,
        value_text: number === null ? null : String(number),
        value_number: number,
      };
    }
    case 'Period': {
      const period = elements.object(value, field);
      const start = elements.string(period?.['start'], `${field}.start`);
      const end = elements.string(period?.['end'], `${field}.end`);
      // ISO 8601 interval notation, with an open side left empty.
      return { ...NO_VALUE, value_type: valueType, value_text: `${start ?? ''}/${end ?? ''}` };
    }
    case 'Range': {
      const range = elements.object(value, field);
      const low = readQuantity(
        elements.object(range?.['low'], `${field}.low`),
        `${field}.low`,
        elements,
      );
      const high = readQuantity(
        elements.object(range?.['high'], `${field}.high`),
        `${field}.high`,
        elements,
      );
      return {
        ...NO_VALUE,
        value_type: valueType,
        value_text: `${low.value_text ?? ''}..${high.value_text ?? ''}`,
        unit: low.unit ?? high.unit,
      };
    }
    case 'Ratio': {
      const ratio = elements.object(value, field);
      const numerator = readQuantity(
        elements.object(ratio?.['numerator'], `${field}.numerator`),
        `${field}.numerator`,
        elements,
      );
      const denominator = readQuantity(
        elements.object(ratio?.['denominator'], `${field}.denominator`),
        `${field}.denominator`,
        elements,
      );
      return {
        ...NO_VALUE,
        value_type: valueType,
        value_text: `${numerator.value_text ?? ''}/${denominator.value_text ?? ''}`,
      };
    }
    default:
      return { ...NO_VALUE, value_type: valueType };
  }
}

/** Reads a Quantity: the number, its comparator in the text (`<5`), and its unit, else its UCUM code. */
function readQuantity(
  quantity: JsonObject | null,
  field: string,
  elements: ElementReader,
): Omit<ObservationValue, 'value_type'> {
  const number = elements.number(quantity?.['value'], `${field}.value`);
  const comparator = elements.string(quantity?.['comparator'], `${field}.comparator`);
  const unit =
    elements.string(quantity?.['unit'], `${field}.unit`) ??
    elements.string(quantity?.['code'], `${field}.code`);
  return {
    value_text: number === null ? null : `${comparator ?? ''}${number}`,
    value_number: number,
    unit,
  };
}
