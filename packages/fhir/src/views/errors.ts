import { FhirReadError } from '../errors';

/** One problem in a ViewDefinition, found before any resource is read. */
export interface ViewDefinitionIssue {
  /** Key path inside the view, such as `select[1].column[0].path`; empty for the view itself. */
  keyPath: string;
  message: string;
  /** The FHIRPath expression at `keyPath`, when the problem is in one. */
  expression?: string;
  /** 1-based character in `expression` where the problem starts. */
  character?: number;
}

/**
 * Raised when a ViewDefinition is invalid: a missing or malformed key, a FHIRPath
 * expression that does not parse or names an unknown function, element or constant,
 * duplicate column names, `unionAll` branches whose columns differ. It carries every
 * problem found, each with its key path, so a view file with three mistakes reports three.
 * Messages quote the view's own text, never resource values.
 */
export class ViewDefinitionError extends FhirReadError {
  /** The view's name, or an empty string when neither the view nor the caller gave one. */
  readonly viewName: string;
  readonly issues: readonly ViewDefinitionIssue[];

  constructor(
    viewName: string,
    issues: readonly ViewDefinitionIssue[],
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    const detail = first ? formatIssue(first) : 'no details';
    super(`${describeView(viewName)} is invalid: ${detail}${more}`, {
      position: first?.keyPath ? { keyPath: first.keyPath } : undefined,
      hint: options.hint ?? 'Fix the ViewDefinition and compile it again.',
      cause: options.cause,
    });
    this.viewName = viewName;
    this.issues = issues;
  }

  /** Render every issue on its own line, followed by the hint. */
  override describe(): string {
    const lines =
      this.issues.length <= 1
        ? [this.message]
        : [
            `${describeView(this.viewName)} is invalid:`,
            ...this.issues.map((issue) => `  - ${formatIssue(issue)}`),
          ];
    if (this.hint) lines.push(this.hint);
    return lines.join('\n');
  }
}

/**
 * Raised while a compiled view reads a resource that its declarations do not fit: a
 * column without `collection: true` meets several values, or a `where` path returns
 * something other than one boolean. It names the view, the key path of the column or
 * filter, and the resource type and id, never element values.
 */
export class ViewEvaluationError extends ViewDefinitionError {
  readonly keyPath: string;
  readonly resourceType: string;
  readonly resourceId: string | undefined;

  constructor(
    viewName: string,
    keyPath: string,
    reason: string,
    resource: { resourceType: string; id: string | undefined },
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const subject =
      resource.id === undefined
        ? `a ${resource.resourceType} without an id`
        : `${resource.resourceType}/${resource.id}`;
    super(viewName, [{ keyPath, message: `${reason} for ${subject}` }], options);
    this.keyPath = keyPath;
    this.resourceType = resource.resourceType;
    this.resourceId = resource.id;
  }
}

function describeView(viewName: string): string {
  return viewName ? `View "${viewName}"` : 'Unnamed view';
}

function formatIssue(issue: ViewDefinitionIssue): string {
  let where = '';
  if (issue.expression !== undefined) {
    const at = issue.character === undefined ? '' : `at character ${issue.character} of `;
    where = ` (${at}"${issue.expression}")`;
  }
  return issue.keyPath ? `${issue.keyPath}: ${issue.message}${where}` : `${issue.message}${where}`;
}
