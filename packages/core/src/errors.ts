/**
 * Where in an input a problem sits. Every field is optional because each stage
 * sees a different part: a reader has the file and line, a parser the segment
 * and field, the configuration loader the key path.
 */
export interface ErrorPosition {
  /** Lake key or path of the input file. */
  file?: string;
  /** 1-based line number in a text file (NDJSON, CSV). */
  line?: number;
  /** 0-based index of the record (message, resource, row) in the file. */
  record?: number;
  /** Segment id and 1-based occurrence, such as `PID` or `OBX[3]`. */
  segment?: string;
  /** Field reference in the standard's notation, such as `PID-3` or `Observation.code`. */
  field?: string;
  /** Dotted key path in a YAML or JSON document, such as `principals.analyst.groups[0]`. */
  keyPath?: string;
}

export interface CarelakeErrorOptions {
  cause?: unknown;
  position?: ErrorPosition;
  /** Next step for the user, printed after the message. */
  hint?: string;
}

/**
 * Root of every error carelake raises on purpose. Each package extends it with
 * its own family, so callers can branch on `instanceof` and never on message text.
 * Messages carry ids, positions and counts, never field values from health data.
 */
export class CarelakeError extends Error {
  readonly position: ErrorPosition | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: CarelakeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.position = options.position;
    this.hint = options.hint;
  }

  /** Render the message with its position and hint, for a terminal or a quarantine reason. */
  describe(): string {
    const where = formatPosition(this.position);
    const parts = [where ? `${where}: ${this.message}` : this.message];
    if (this.hint) parts.push(this.hint);
    return parts.join(' ');
  }
}

/** Raised when `carelake.yaml`, a pipeline, dataset or policy file is invalid. */
export class ConfigError extends CarelakeError {
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, issues: readonly ConfigIssue[], options: CarelakeErrorOptions = {}) {
    super(message, options);
    this.issues = issues;
  }

  override describe(): string {
    const lines = this.issues.map((issue) => `  - ${issue.keyPath || '(root)'}: ${issue.message}`);
    return [this.message, ...lines].join('\n');
  }
}

export interface ConfigIssue {
  keyPath: string;
  message: string;
}

/** Format a position as `file:line record 3 PID-3`, leaving out the parts that are unknown. */
export function formatPosition(position: ErrorPosition | undefined): string {
  if (!position) return '';
  const parts: string[] = [];
  if (position.file) parts.push(position.line === undefined ? position.file : `${position.file}:${position.line}`);
  else if (position.line !== undefined) parts.push(`line ${position.line}`);
  if (position.record !== undefined) parts.push(`record ${position.record}`);
  if (position.segment) parts.push(`segment ${position.segment}`);
  if (position.field) parts.push(`field ${position.field}`);
  if (position.keyPath) parts.push(`key ${position.keyPath}`);
  return parts.join(' ');
}

/** Describe any thrown value without leaking more than its message. */
export function describeError(error: unknown): string {
  if (error instanceof CarelakeError) return error.describe();
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
