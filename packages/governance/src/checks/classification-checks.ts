import { selectColumns } from '../access/column-selection';
import { EffectiveTags, matchesExpression } from '../access/effective-tags';
import type { GovernedColumn, GovernedTable } from '../policy/governed-table';
import { describeGrantee, type Grantee, type PolicyPermission, type PolicySource } from '../policy/policy-set';
import type { PolicyIndex } from './policy-index';
import { listNames, type ProblemList } from './problems';

/**
 * Columns classified `phi` (by themselves or through their table) may be read only by principals
 * and groups that a policy file marks `phiAllowed: true`. Checks every grant that lets a grantee
 * read rows: named tables, every table of a database, data cells filters and LF-tag grants.
 */
export function checkClassifications(index: PolicyIndex, problems: ProblemList): void {
  for (const grant of index.policySet.grants) {
    if (!reads(grant.permissions) || index.phiAllowed(grant.grantee)) continue;
    const resource = grant.resource;
    if (resource.kind === 'database') continue;
    const tables = resource.kind === 'allTables' ? index.tablesOf(resource.database) : [index.table(resource.database, resource.table)];

    for (const table of tables) {
      if (table === undefined) continue;
      if (grant.filters !== undefined && resource.kind === 'table') {
        for (const name of grant.filters) {
          const filter = index.filter(table.database, table.table, name);
          if (filter === undefined) continue;
          report(problems, grant.grantee, table, selectColumns(table, filter.columns), grant.source, `through data cells filter "${name}"`);
        }
        continue;
      }
      report(problems, grant.grantee, table, selectColumns(table, grant.columns), grant.source, '');
    }
  }

  const tags = new EffectiveTags(index.policySet);
  for (const grant of index.policySet.tagGrants) {
    if (grant.resourceType !== 'table' || !reads(grant.permissions) || index.phiAllowed(grant.grantee)) continue;
    for (const table of index.policySet.tables) {
      const matching = table.columns.filter((column) => matchesExpression(tags.column(table, column.name), grant.expression));
      report(problems, grant.grantee, table, matching, grant.source, 'through LF-tags');
    }
  }
}

function reads(permissions: readonly PolicyPermission[]): boolean {
  return permissions.includes('select') || permissions.includes('admin');
}

function report(problems: ProblemList, grantee: Grantee, table: GovernedTable, columns: readonly GovernedColumn[], source: PolicySource, how: string): void {
  const phi = columns.filter((column) => column.classification === 'phi').map((column) => column.name);
  if (phi.length === 0) return;
  const via = how === '' ? '' : ` ${how}`;
  const declareUnder = grantee.kind === 'group' ? 'groups' : 'principals';
  problems.error(
    'phi-not-allowed',
    source,
    `${describeGrantee(grantee)} is not marked phiAllowed but would read ${phi.length} phi column(s) of ${table.database}.${table.table}${via}: ${listNames(phi)}. ` +
      `Leave them out (columns.exclude, or excludeClassifications: [phi]) or set phiAllowed: true for it under ${declareUnder}:`,
    source.tableKeyPath ?? source.keyPath,
  );
}
