import { CarelakeError, ConfigError } from '@carelake/core';

/** Root of the errors the de-identification step raises. */
export class DeidError extends CarelakeError {}

/** Raised when a row does not match its dataset: a value of the wrong type in a column the step transforms. */
export class DeidInputError extends DeidError {}

/** Raised when a de-identification profile is invalid, alone or against the dataset it is applied to. */
export class DeidProfileError extends ConfigError {}
