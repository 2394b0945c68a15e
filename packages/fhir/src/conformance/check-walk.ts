import type { ConformanceIssue, ConformanceIssueCode } from './issues';

/**
 * The state of one `check` call: where in the resource the walk is, and the
 * issues found so far. The path is kept as a stack of segments and joined only
 * when an issue is reported, so a valid resource costs no string building.
 */
export class CheckWalk {
  readonly issues: ConformanceIssue[] = [];
  /** Nesting of JSON objects below the checked resource, for the depth limit. */
  depth = 0;
  /** Member names and 0-based array indexes from the root to the current value. */
  private readonly segments: Array<string | number> = [];

  constructor(
    /** First segment of every path: the resource type, or `Resource` when it is unusable. */
    private readonly root: string,
    private readonly resourceType: string | undefined,
    private readonly id: string | undefined,
    /** fullUrls of the bundle the resource came in, when it came in one. */
    readonly bundleFullUrls: ReadonlySet<string> | undefined,
  ) {}

  enterMember(name: string): void {
    this.segments.push(name);
  }

  enterIndex(index: number): void {
    this.segments.push(index);
  }

  leave(): void {
    this.segments.pop();
  }

  /** Records an issue at the current path. The reason must not contain the value. */
  report(
    code: ConformanceIssueCode,
    reason: string,
    severity: 'error' | 'warning' = 'error',
  ): void {
    this.issues.push({
      severity,
      code,
      resourceType: this.resourceType,
      id: this.id,
      path: this.path(),
      reason,
    });
  }

  private path(): string {
    let path = this.root;
    for (const segment of this.segments) {
      path += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    }
    return path;
  }
}
