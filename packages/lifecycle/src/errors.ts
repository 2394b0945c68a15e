import { CarelakeError } from '@carelake/core';

/** Root of the errors raised by `@carelake/lifecycle`. */
export class LifecycleError extends CarelakeError {}

/** Raised when a policy names no known policy, or a dataset has none and its classification no default. */
export class PolicyResolutionError extends LifecycleError {}

/** Raised when a legal hold is placed or released against its rules, such as a release without a reason. */
export class LegalHoldError extends LifecycleError {}

/** Raised when reading or writing a bucket's lifecycle configuration fails. */
export class BucketLifecycleError extends LifecycleError {
  readonly bucket: string;

  constructor(message: string, bucket: string, options: ConstructorParameters<typeof CarelakeError>[1] = {}) {
    super(message, options);
    this.bucket = bucket;
  }
}
