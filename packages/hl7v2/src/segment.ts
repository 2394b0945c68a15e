import { isHeaderId, type Hl7Delimiters } from './delimiters';
import { unescapeHl7, type Hl7ReadOptions } from './escape';
import { FieldSeparators } from './field-separators';
import { countParts, findPart, type PartRange } from './part-range';
import { formatSegmentLabel, parseCachedHl7FieldPath, type Hl7FieldLocation } from './path';
import { readSegmentId } from './segment-ids';

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
  /** True for MSH, FHS and BHS followed by the field separator: fields 1 and 2 are the delimiters. */
  private readonly isHeader: boolean;
  private separators: FieldSeparators | undefined;
  private fieldTexts: readonly string[] | undefined;

  constructor(init: Hl7SegmentInit) {
    this.id = readSegmentId(init.text, 0);
    this.text = init.text;
    this.delimiters = init.delimiters;
    this.index = init.index;
    this.occurrence = init.occurrence;
    this.line = init.line;
    this.isHeader = isHeaderId(this.id) && this.text.charAt(3) === this.delimiters.field;
  }

  /** The segment as positions name it: `PID` for the first occurrence, `OBX[3]` for later ones. */
  get label(): string {
    return formatSegmentLabel(this.id, this.occurrence);
  }

  /** The number of the last field present, empty or not. */
  get fieldCount(): number {
    return this.fieldSeparators.count();
  }

  /**
   * Read one value, such as `get('5.1')` or `get('3[2].4')` (the path within the segment).
   * An omitted repetition, component or subcomponent reads the first one.
   */
  get(fieldPath: string, options?: Hl7ReadOptions): Hl7Value {
    return this.valueAt(parseCachedHl7FieldPath(fieldPath), options);
  }

  /**
   * Read the encoded text at a path, delimiters and escape sequences intact: `getEncoded('5')` is
   * the whole field with all its repetitions, `getEncoded('5[2]')` its second repetition and
   * `getEncoded('5.1')` the first component of its first repetition.
   */
  getEncoded(fieldPath: string): string | undefined {
    return this.encodedAt(parseCachedHl7FieldPath(fieldPath));
  }

  /** Read a value from every repetition of a field, such as `getAll('3.1')`; empty when the field is. */
  getAll(fieldPath: string, options?: Hl7ReadOptions): Hl7Value[] {
    return this.repetitionsAt(parseCachedHl7FieldPath(fieldPath), options);
  }

  /** `get` for a location already parsed. */
  valueAt(location: Hl7FieldLocation, options?: Hl7ReadOptions): Hl7Value {
    if (this.isHeaderEncodingField(location.field)) return this.encodedAt(location);
    const leaf = this.encodedPart(
      location.field,
      location.repetition ?? 1,
      location.component ?? 1,
      location.subcomponent ?? 1,
    );
    return this.decodeLeaf(leaf, options);
  }

  /** `getEncoded` for a location already parsed. */
  encodedAt(location: Hl7FieldLocation): string | undefined {
    return this.encodedPart(
      location.field,
      location.repetition,
      location.component,
      location.subcomponent,
    );
  }

  /** `encodedAt` with the location's numbers as arguments, so that `valueAt` builds no location. */
  private encodedPart(
    field: number,
    repetition: number | undefined,
    component: number | undefined,
    subcomponent: number | undefined,
  ): string | undefined {
    const fieldText = this.fieldText(field);
    if (fieldText === undefined || fieldText === '') return undefined;
    if (this.isHeaderEncodingField(field)) {
      const whole = (repetition ?? 1) === 1 && (component ?? 1) === 1;
      return whole && (subcomponent ?? 1) === 1 ? fieldText : undefined;
    }

    // The parts are found by offset inside the field text, so that reading one value neither
    // splits the field nor searches past its end.
    const range: PartRange = { start: 0, end: fieldText.length };
    // Components live inside one repetition, so a path naming a component reads the first
    // repetition when it names none.
    const repetitionNumber = repetition ?? (component === undefined ? undefined : 1);
    if (
      repetitionNumber !== undefined &&
      !findPart(fieldText, range, this.delimiters.repetition, repetitionNumber)
    ) {
      return undefined;
    }
    if (
      component !== undefined &&
      !findPart(fieldText, range, this.delimiters.component, component)
    ) {
      return undefined;
    }
    if (subcomponent !== undefined && !this.findSubcomponent(fieldText, range, subcomponent)) {
      return undefined;
    }
    return range.start === range.end ? undefined : fieldText.slice(range.start, range.end);
  }

  /** `getAll` for a location already parsed; the location's repetition is ignored. */
  repetitionsAt(location: Hl7FieldLocation, options?: Hl7ReadOptions): Hl7Value[] {
    const fieldText = this.fieldText(location.field);
    if (fieldText === undefined || fieldText === '') return [];
    if (this.isHeaderEncodingField(location.field)) return [this.valueAt(location)];

    const count = countParts(fieldText, this.delimiters.repetition);
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

  /**
   * True when the encoded text of the fields contains `text`. MSH-1 and MSH-2 (and those of FHS
   * and BHS) are left out, as `leaves` leaves them out.
   */
  fieldsContain(text: string): boolean {
    // Values start after the first field separator, or in a header after the one ending MSH-2.
    const separator = this.delimiters.field;
    const found = this.text.indexOf(separator, this.isHeader ? 4 : 0);
    return found >= 0 && this.text.includes(text, found + separator.length);
  }

  /** Return the encoded text of each field, indexed by field number; index 0 is the segment id. */
  encodedFields(): readonly string[] {
    return this.fields();
  }

  private decodeLeaf(leaf: string | undefined, options: Hl7ReadOptions | undefined): Hl7Value {
    if (leaf === undefined) return undefined;
    if (leaf === HL7_NULL) return null;
    // Most values hold no escape character, and unescapeHl7 returns those as they are.
    const escape = this.delimiters.escape;
    if (escape === undefined || !leaf.includes(escape)) return leaf;
    return unescapeHl7(leaf, this.delimiters, options);
  }

  private splitSubcomponents(component: string): string[] {
    const separator = this.delimiters.subcomponent;
    return separator === undefined ? [component] : component.split(separator);
  }

  /** Narrow `range` to a subcomponent; without a subcomponent separator the component is the only one. */
  private findSubcomponent(text: string, range: PartRange, subcomponent: number): boolean {
    const separator = this.delimiters.subcomponent;
    if (separator === undefined) return subcomponent === 1;
    return findPart(text, range, separator, subcomponent);
  }

  /** Return the field separators found so far, created on the first read because most segments are never read. */
  private get fieldSeparators(): FieldSeparators {
    this.separators ??= new FieldSeparators(this.text, this.delimiters.field, this.isHeader);
    return this.separators;
  }

  private isHeaderEncodingField(field: number): boolean {
    return field <= 2 && this.isHeader;
  }

  /** Return the encoded text of one field, or undefined when the segment has fewer fields. */
  private fieldText(field: number): string | undefined {
    if (this.fieldTexts !== undefined) return this.fieldTexts[field];
    if (!Number.isInteger(field) || field < 0) return undefined;
    if (field === 1 && this.isHeader) return this.delimiters.field;
    const start = this.fieldSeparators.fieldStart(field);
    if (start < 0) return undefined;
    return this.text.slice(start, this.fieldSeparators.fieldEnd(field));
  }

  /** Field texts indexed by field number; index 0 is the segment id. */
  private fields(): readonly string[] {
    if (this.fieldTexts === undefined) this.fieldTexts = this.splitFields();
    return this.fieldTexts;
  }

  private splitFields(): string[] {
    const separator = this.delimiters.field;
    if (!this.isHeader) return this.text.split(separator);
    // MSH|^~\&|... : the separator after the id is MSH-1 itself, so splitting starts after it.
    const [encodingCharacters = '', ...rest] = this.text.slice(4).split(separator);
    return [this.id, separator, encodingCharacters, ...rest];
  }
}
