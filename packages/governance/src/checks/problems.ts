import type { PolicyProblem } from '../errors';
import type { PolicySource } from '../policy/policy-set';

/** Collects problems, each at most once, in the order found. */
export class ProblemList {
  private readonly seen = new Set<string>();
  readonly problems: PolicyProblem[] = [];

  error(code: string, source: PolicySource | undefined, message: string, keyPath?: string): void {
    this.add({ severity: 'error', code, message, ...location(source, keyPath) });
  }

  warning(code: string, source: PolicySource | undefined, message: string, keyPath?: string): void {
    this.add({ severity: 'warning', code, message, ...location(source, keyPath) });
  }

  private add(problem: PolicyProblem): void {
    const key = `${problem.severity}|${problem.code}|${problem.file ?? ''}|${problem.keyPath ?? ''}|${problem.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(problem);
  }
}

function location(source: PolicySource | undefined, keyPath: string | undefined): Pick<PolicyProblem, 'file' | 'keyPath'> {
  if (source === undefined) return {};
  return { file: source.file, keyPath: keyPath ?? source.keyPath };
}

/** List names for a message, shortened after `max` with a count of the rest. */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
