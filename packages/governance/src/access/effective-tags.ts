import type { GovernedTable } from '../policy/governed-table';
import type { PolicySet, PolicyTagGrant, TagResource } from '../policy/policy-set';

/** LF-tag values by key. */
export type TagValues = Record<string, string>;

/**
 * LF-tags in force on each database, table and column. Tables inherit their database's tags and
 * columns their table's; a tag of the same key set lower down wins, as in Lake Formation.
 */
export class EffectiveTags {
  private readonly assigned = new Map<string, TagValues>();

  constructor(policySet: Pick<PolicySet, 'tagAssignments'>) {
    for (const assignment of policySet.tagAssignments) {
      const key = tagResourceKey(assignment.resource);
      const values = this.assigned.get(key) ?? {};
      // A second value of a key on one resource is an error that checkPolicies reports; the first is kept.
      if (!(assignment.key in values) && assignment.values[0] !== undefined) values[assignment.key] = assignment.values[0];
      this.assigned.set(key, values);
    }
  }

  database(database: string): TagValues {
    return { ...this.assigned.get(tagResourceKey({ kind: 'database', database })) };
  }

  table(table: GovernedTable): TagValues {
    return { ...this.database(table.database), ...this.assigned.get(tagResourceKey({ kind: 'table', database: table.database, table: table.table })) };
  }

  column(table: GovernedTable, column: string): TagValues {
    const own = this.assigned.get(tagResourceKey({ kind: 'column', database: table.database, table: table.table, column }));
    return { ...this.table(table), ...own };
  }
}

/** Return a text key of a tag resource: `clinical`, `clinical.patients` or `clinical.patients.sex`. */
export function tagResourceKey(resource: TagResource): string {
  switch (resource.kind) {
    case 'database':
      return resource.database;
    case 'table':
      return `${resource.database}.${resource.table}`;
    case 'column':
      return `${resource.database}.${resource.table}.${resource.column}`;
  }
}

/** True when every key of the expression has one of its values among the tags. */
export function matchesExpression(tags: TagValues, expression: PolicyTagGrant['expression']): boolean {
  return expression.every(({ key, values }) => {
    const value = tags[key];
    return value !== undefined && values.includes(value);
  });
}
