import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** Root of the errors the governance package raises. Messages name principals, tables, columns and positions, never field values. */
export class GovernanceError extends CarelakeError {}

/**
 * A row filter outside Lake Formation's PartiQL subset. `character` is the 1-based position of the
 * first token that is not allowed, counted in UTF-16 code units as JavaScript strings are.
 */
export class RowFilterSyntaxError extends GovernanceError {
  readonly character: number;

  constructor(message: string, character: number, options: CarelakeErrorOptions = {}) {
    super(`${message} at character ${character}`, { hint: ROW_FILTER_ALLOWED, ...options });
    this.character = character;
  }
}

/** What a row filter may contain, for error hints and help text. */
export const ROW_FILTER_ALLOWED =
  'A row filter compares columns with constants: column = <> != < <= > >= constant, column [NOT] IN (constants), ' +
  'column [NOT] BETWEEN constant AND constant, column [NOT] LIKE \'pattern\', column IS [NOT] NULL, joined with AND, OR, NOT ' +
  "and parentheses. Constants are 'strings', numbers, TRUE and FALSE; functions, arithmetic and subqueries are not allowed.";

/** A problem found by `checkPolicies`, as the checks report it. */
export interface PolicyProblem {
  severity: 'error' | 'warning';
  /** Stable code of the check, such as `unknown-column` or `phi-not-allowed`. */
  code: string;
  message: string;
  /** Policy file the problem is in, when it belongs to one. */
  file?: string;
  /** Key path in that file, such as `grants[2].columns.exclude[0]`. */
  keyPath?: string;
}

/** Policies with errors, raised before anything is planned or applied. Carries every problem found. */
export class PolicyCheckError extends GovernanceError {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[]) {
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    super(`the policies have ${errors} error(s)`, {
      hint: 'Fix the listed problems in pipelines/policies/ and run the plan again.',
    });
    this.problems = problems;
  }

  override describe(): string {
    const lines = this.problems.map((problem) => `  - ${formatProblem(problem)}`);
    return [super.describe(), ...lines].join('\n');
  }
}

/** Render a problem as `error analysts.policy.yaml grants[0].table: message`. */
export function formatProblem(problem: PolicyProblem): string {
  const where = [problem.file, problem.keyPath].filter((part) => part !== undefined && part !== '').join(' ');
  return where ? `${problem.severity} ${where}: ${problem.message}` : `${problem.severity}: ${problem.message}`;
}

/**
 * Lake Formation still lets IAM alone decide access (IAMAllowedPrincipals), so grants would change
 * nothing. Each reason names a setting or a resource.
 */
export class IamAllowedPrincipalsError extends GovernanceError {
  readonly reasons: readonly string[];

  constructor(reasons: readonly string[]) {
    super(`Lake Formation permissions are not in force: IAMAllowedPrincipals still has access (${reasons.length} finding(s))`, {
      hint:
        'The deployment must turn IAM-only access off: PutDataLakeSettings with empty CreateDatabaseDefaultPermissions ' +
        'and CreateTableDefaultPermissions, and revoke IAM_ALLOWED_PRINCIPALS from every database and table carelake manages.',
    });
    this.reasons = reasons;
  }

  override describe(): string {
    return [super.describe(), ...this.reasons.map((reason) => `  - ${reason}`)].join('\n');
  }
}

/** One request entry Lake Formation rejected, after the retries allowed. */
export interface LakeFormationFailure {
  /** The operation, such as `BatchGrantPermissions` or `CreateDataCellsFilter`. */
  operation: string;
  /** What the entry was for: principal, permissions and resource. */
  target: string;
  errorCode: string;
  errorMessage: string;
}

/** An apply that stopped in one step because Lake Formation rejected entries of it. Earlier steps stay applied. */
export class LakeFormationApplyError extends GovernanceError {
  readonly failures: readonly LakeFormationFailure[];
  /** Steps completed before the failing one, in order. */
  readonly completedSteps: readonly string[];

  constructor(step: string, failures: readonly LakeFormationFailure[], completedSteps: readonly string[], options: CarelakeErrorOptions = {}) {
    super(`Lake Formation rejected ${failures.length} request(s) in step "${step}"`, {
      hint: 'Fix the cause named for each entry, then run plan and apply again: the new plan contains only what is still missing.',
      ...options,
    });
    this.failures = failures;
    this.completedSteps = completedSteps;
  }

  override describe(): string {
    const lines = this.failures.map((failure) => `  - ${failure.operation} ${failure.target}: ${failure.errorCode} ${failure.errorMessage}`);
    return [super.describe(), ...lines].join('\n');
  }
}

/** The stored governance snapshot is unreadable or does not match its hash. */
export class GovernanceSnapshotError extends GovernanceError {}
