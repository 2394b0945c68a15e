import { HEADER_SEGMENT_IDS, type Hl7Delimiters } from './delimiters';
import { unescapeHl7, type Hl7ReadOptions } from './escape';
import { formatSegmentLabel, parseHl7FieldPath, type Hl7FieldLocation } from './path';

/**
 * A value read from a message: the unescaped text, `null` for the HL7 null `""`, or `undefined`
 * when the field, repetition, component or subcomponent is absent or empty. The HL7 null states
 * that the value is explicitly empty, so a receiver deletes the value it stores.
 */
export type Hl7Value = string | null | undefined;

/** The HL7 null: a value of exactly two double quotes. */
export const HL7_NULL = '""';

/** One leaf value of a segment, encoded, with its 1-based coordinates. */
export interface Hl7Leaf {
  field: number;
  repetition: number;
  component: number;
  subcomponent: number;
  /** The leaf as received: escape sequences intact, never empty. */
  encoded: string;
}

export interface Hl7SegmentInit {
  text: string;
  delimiters: Hl7Delimiters;
  index: number;
  occurrence: number;
  line: number;
}

/**
 * One segment as received. Fields are numbered from 1 as in the standard. In MSH, FHS and BHS,
 * field 1 is the field separator itself and field 2 the encoding characters, and both are
 * returned as they are, never split or unescaped.
 */
export class Hl7Segment {
  /** The three-character segment id, such as `PID`. */
  readonly id: string;
  /** The segment exactly as received, without its terminator. */
  readonly text: string;
  readonly delimiters: Hl7Delimiters;
  /** 0-based position in its message; 0 for FHS and BHS, which belong to no message. */
  readonly index: number;
  /** 1-based count of segments with this id in its message (for FHS and BHS, in the input) up to this one. */
  readonly occurrence: number;
  /** 1-based line of the input where the segment starts. */
  readonly line: number;
  private fieldTexts: readonly string[] | undefined;

  constructor(init: Hl7SegmentInit) {
    this.id = init.text.slice(0, 3);
    this.text = init.text;
    this.delimiters = init.delimiters;
    this.index = init.index;
    this.occurrence = init.occurrence;
    this.line = init.line;
  }

  /** The segment as positions name it: `PID` for the first occurrence, `OBX[3]` for later ones. */
  get label(): string {
    return formatSegmentLabel(this.id, this.occurrence);
  }

  /** The number of the last field present, empty or not. */
  get fieldCount(): number {
    return this.fields().length - 1;
  }

  /**
   * Read one value, such as `get('5.1')` or `get('3[2].4')` (the path within the segment).
   * An omitted repetition, component or subcomponent reads the first one.
   */
  get(fieldPath: string, options?: Hl7ReadOptions): Hl7Value {
    return this.valueAt(parseHl7FieldPath(fieldPath), options);
  }

  /**
   * Read the encoded text at a path, delimiters and escape sequences intact: `getEncoded('5')` is
   * the whole field with all its repetitions, `getEncoded('5[2]')` its second repetition and
   * `getEncoded('5.1')` the first component of its first repetition.
   */
  getEncoded(fieldPath: string): string | undefined {
    return this.encodedAt(parseHl7FieldPath(fieldPath));
  }

  /** Read a value from every repetition of a field, such as `getAll('3.1')`; empty when the field is. */
  getAll(fieldPath: string, options?: Hl7ReadOptions): Hl7Value[] {
    const location = parseHl7FieldPath(fieldPath);
    return this.repetitionsAt(location, options);
  }

  /** `get` for a location already parsed. */
  valueAt(location: Hl7FieldLocation, options?: Hl7ReadOptions): Hl7Value {
    if (this.isHeaderEncodingField(location.field)) return this.encodedAt(location);
    const leaf = this.encodedAt({
      field: location.field,
      repetition: location.repetition ?? 1,
      component: location.component ?? 1,
      subcomponent: location.subcomponent ?? 1,
    });
    return this.decodeLeaf(leaf, options);
  }

  /** `getEncoded` for a location already parsed. */
  encodedAt(location: Hl7FieldLocation): string | undefined {
    const fieldText = this.fields()[location.field];
    if (fieldText === undefined || fieldText === '') return undefined;
    if (this.isHeaderEncodingField(location.field)) {
      const whole = (location.repetition ?? 1) === 1 && (location.component ?? 1) === 1;
      return whole && (location.subcomponent ?? 1) === 1 ? fieldText : undefined;
    }

    let text = fieldText;
    // Components live inside one repetition, so a path naming a component reads the first
    // repetition when it names none.
    const repetitionNumber =
      location.repetition ?? (location.component === undefined ? undefined : 1);
    if (repetitionNumber !== undefined) {
      const repetition = text.split(this.delimiters.repetition)[repetitionNumber - 1];
      if (repetition === undefined) return undefined;
      text = repetition;
    }
    if (location.component !== undefined) {
      const component = text.split(this.delimiters.component)[location.component - 1];
      if (component === undefined) return undefined;
      text = component;
    }
    if (location.subcomponent !== undefined) {
      const subcomponent = this.splitSubcomponents(text)[location.subcomponent - 1];
      if (subcomponent === undefined) return undefined;
      text = subcomponent;
    }
    return text === '' ? undefined : text;
  }

  /** `getAll` for a location already parsed; the location's repetition is ignored. */
  repetitionsAt(location: Hl7FieldLocation, options?: Hl7ReadOptions): Hl7Value[] {
    const fieldText = this.fields()[location.field];
    if (fieldText === undefined || fieldText === '') return [];
    if (this.isHeaderEncodingField(location.field)) return [this.valueAt(location)];

    const count = fieldText.split(this.delimiters.repetition).length;
    const values: Hl7Value[] = [];
    for (let repetition = 1; repetition <= count; repetition++) {
      values.push(this.valueAt({ ...location, repetition }, options));
    }
    return values;
  }

  /**
   * List the non-empty leaf values of the segment in order, split field, repetition, component,
   * subcomponent. MSH-1 and MSH-2 (and those of FHS and BHS) are not leaves and are skipped.
   */
  *leaves(): Generator<Hl7Leaf> {
    const fields = this.fields();
    for (let field = 1; field < fields.length; field++) {
      const fieldText = fields[field];
      if (!fieldText || this.isHeaderEncodingField(field)) continue;
      const repetitions = fieldText.split(this.delimiters.repetition);
      for (let repetition = 0; repetition < repetitions.length; repetition++) {
        const components = (repetitions[repetition] ?? '').split(this.delimiters.component);
        for (let component = 0; component < components.length; component++) {
          const subcomponents = this.splitSubcomponents(components[component] ?? '');
          for (let subcomponent = 0; subcomponent < subcomponents.length; subcomponent++) {
            const encoded = subcomponents[subcomponent];
            if (!encoded) continue;
            yield {
              field,
              repetition: repetition + 1,
              component: component + 1,
              subcomponent: subcomponent + 1,
              encoded,
            };
          }
        }
      }
    }
  }

  /** Return the encoded text of each field, indexed by field number; index 0 is the segment id. */
  encodedFields(): readonly string[] {
    return this.fields();
  }

  private decodeLeaf(leaf: string | undefined, options: Hl7ReadOptions | undefined): Hl7Value {
    if (leaf === undefined) return undefined;
    if (leaf === HL7_NULL) return null;
    return unescapeHl7(leaf, this.delimiters, options);
  }

  private splitSubcomponents(component: string): string[] {
    const separator = this.delimiters.subcomponent;
    return separator === undefined ? [component] : component.split(separator);
  }

  private isHeaderEncodingField(field: number): boolean {
    return field <= 2 && this.isHeader();
  }

  private isHeader(): boolean {
    return HEADER_SEGMENT_IDS.has(this.id) && this.text.charAt(3) === this.delimiters.field;
  }

  /** Field texts indexed by field number; index 0 is the segment id. */
  private fields(): readonly string[] {
    if (this.fieldTexts === undefined) this.fieldTexts = this.splitFields();
    return this.fieldTexts;
  }

  private splitFields(): string[] {
    const separator = this.delimiters.field;
    if (!this.isHeader()) return this.text.split(separator);
    // MSH|^~\&|... : the separator after the id is MSH-1 itself, so splitting starts after it.
    const [encodingCharacters = '', ...rest] = this.text.slice(4).split(separator);
    return [this.id, separator, encodingCharacters, ...rest];
  }
}
