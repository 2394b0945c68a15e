import { FhirMappingError } from './errors';
import { parseFhirDate, parseFhirDateTime, parseFhirInstant } from './fhir-dates';
import { describeJsonType } from './resource-check';
import { isJsonObject, type JsonObject } from './types';

/**
 * Reads elements of one resource with their JSON types checked. Absent elements
 * (undefined or null) read as null. An element of the wrong type raises
 * `FhirMappingError` naming the file, the entry position and the FHIR path,
 * never the value.
 */
export class ElementReader {
  constructor(
    private readonly file: string,
    private readonly record: number,
  ) {}

  string(value: unknown, field: string): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw this.typeError(field, 'a string', value);
    return value;
  }

  number(value: unknown, field: string): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw this.typeError(field, 'a number', value);
    return value;
  }

  boolean(value: unknown, field: string): boolean | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') throw this.typeError(field, 'a boolean', value);
    return value;
  }

  object(value: unknown, field: string): JsonObject | null {
    if (value === undefined || value === null) return null;
    if (!isJsonObject(value)) throw this.typeError(field, 'an object', value);
    return value;
  }

  /** Reads the first item of a repeating element, or null when it is absent or empty. */
  firstObject(value: unknown, field: string): JsonObject | null {
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) throw this.typeError(field, 'an array', value);
    return this.object(value[0], `${field}[0]`);
  }

  /** Reads the first item of a repeating string element, or null when it is absent or empty. */
  firstString(value: unknown, field: string): string | null {
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) throw this.typeError(field, 'an array', value);
    return this.string(value[0], `${field}[0]`);
  }

  /** Reads a repeating element of objects; an absent element reads as an empty array. */
  objects(value: unknown, field: string): JsonObject[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw this.typeError(field, 'an array', value);
    return value.map((item, index) => {
      if (!isJsonObject(item)) throw this.typeError(`${field}[${index}]`, 'an object', item);
      return item;
    });
  }

  date(value: unknown, field: string): Date | null {
    return this.parsed(value, field, parseFhirDate, 'a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)');
  }

  dateTime(value: unknown, field: string): Date | null {
    return this.parsed(
      value,
      field,
      parseFhirDateTime,
      'a FHIR dateTime (a date, or YYYY-MM-DDThh:mm:ss with a zone)',
    );
  }

  instant(value: unknown, field: string): Date | null {
    return this.parsed(
      value,
      field,
      parseFhirInstant,
      'a FHIR instant (YYYY-MM-DDThh:mm:ss with a zone)',
    );
  }

  /** Creates the error for a resource that lacks what a mapping needs. */
  error(field: string, message: string): FhirMappingError {
    return new FhirMappingError(message, {
      position: { file: this.file, record: this.record, field },
    });
  }

  private parsed(
    value: unknown,
    field: string,
    parse: (text: string) => Date | undefined,
    expected: string,
  ): Date | null {
    const text = this.string(value, field);
    if (text === null) return null;
    const date = parse(text);
    if (!date) throw this.error(field, `${field} is not ${expected}`);
    return date;
  }

  private typeError(field: string, expected: string, value: unknown): FhirMappingError {
    return this.error(field, `${field} must be ${expected}, found ${describeJsonType(value)}`);
  }
}
