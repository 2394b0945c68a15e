import type { Classification } from '@carelake/core';
import { selectColumns } from '../access/column-selection';
import { EffectiveTags, matchesExpression } from '../access/effective-tags';
import type { GovernedColumn, GovernedTable } from '../policy/governed-table';
import { describeGrantee, type Grantee, type PolicyPermission, type PolicySource } from '../policy/policy-set';
import type { PolicyIndex } from './policy-index';
import { listNames, type ProblemList } from './problems';

/**
 * Columns classified `phi` (by themselves or through their table) may be read only by principals
 * and groups that a policy file marks `phiAllowed: true`, and columns classified `limited` only by
 * those marked `limitedAllowed: true` or `phiAllowed: true`. Checks every grant that lets a grantee
 * read rows: named tables, every table of a database, data cells filters and LF-tag grants.
 */
export function checkClassifications(index: PolicyIndex, problems: ProblemList): void {
  for (const grant of index.policySet.grants) {
    // phiAllowed implies limitedAllowed, so such a grantee may read every classification.
    if (!reads(grant.permissions) || index.phiAllowed(grant.grantee)) continue;
    const resource = grant.resource;
    if (resource.kind === 'database') continue;
    const tables = resource.kind === 'allTables' ? index.tablesOf(resource.database) : [index.table(resource.database, resource.table)];
    const limitedAllowed = index.limitedAllowed(grant.grantee);

    for (const table of tables) {
      if (table === undefined) continue;
      if (grant.filters !== undefined && resource.kind === 'table') {
        for (const name of grant.filters) {
          const filter = index.filter(table.database, table.table, name);
          if (filter === undefined) continue;
          report(problems, { grantee: grant.grantee, limitedAllowed, table, source: grant.source, via: `through data cells filter "${name}"` }, selectColumns(table, filter.columns));
        }
        continue;
      }
      report(problems, { grantee: grant.grantee, limitedAllowed, table, source: grant.source, via: '' }, selectColumns(table, grant.columns));
    }
  }

  const tags = new EffectiveTags(index.policySet);
  for (const grant of index.policySet.tagGrants) {
    if (grant.resourceType !== 'table' || !reads(grant.permissions) || index.phiAllowed(grant.grantee)) continue;
    const limitedAllowed = index.limitedAllowed(grant.grantee);
    for (const table of index.policySet.tables) {
      const matching = table.columns.filter((column) => matchesExpression(tags.column(table, column.name), grant.expression));
      report(problems, { grantee: grant.grantee, limitedAllowed, table, source: grant.source, via: 'through LF-tags' }, matching);
    }
  }
}

function reads(permissions: readonly PolicyPermission[]): boolean {
  return permissions.includes('select') || permissions.includes('admin');
}

/** One grant's read of one table, for messages. */
interface TableRead {
  /** A grantee without phiAllowed: callers skip the others. */
  grantee: Grantee;
  limitedAllowed: boolean;
  table: GovernedTable;
  source: PolicySource;
  /** The path from grant to columns for messages, such as `through LF-tags`, or empty for a plain grant. */
  via: string;
}

/**
 * Report at most one problem per classification for one grant and table, phi first. Each lists
 * only the columns of its own classification, so no column is named twice.
 */
function report(problems: ProblemList, read: TableRead, columns: readonly GovernedColumn[]): void {
  const named = (classification: Classification): string[] =>
    columns.filter((column) => column.classification === classification).map((column) => column.name);

  const phi = named('phi');
  if (phi.length > 0) {
    problems.error(
      'phi-not-allowed',
      read.source,
      `${describeRead(read, 'phiAllowed', phi, 'phi')}. ` +
        `Leave them out (columns.exclude, or excludeClassifications: [phi]) or set phiAllowed: true for it under ${declarationSection(read.grantee)}:`,
      read.source.tableKeyPath ?? read.source.keyPath,
    );
  }

  const limited = read.limitedAllowed ? [] : named('limited');
  if (limited.length > 0) {
    problems.error(
      'limited-not-allowed',
      read.source,
      `${describeRead(read, 'limitedAllowed', limited, 'limited')}. ` +
        'Leave them out (columns.exclude, or excludeClassifications: [limited]) or, for a principal under a data use agreement, ' +
        `set limitedAllowed: true for it under ${declarationSection(read.grantee)}:`,
      read.source.tableKeyPath ?? read.source.keyPath,
    );
  }
}

function describeRead(read: TableRead, attribute: string, names: readonly string[], classification: Classification): string {
  const via = read.via === '' ? '' : ` ${read.via}`;
  return (
    `${describeGrantee(read.grantee)} is not marked ${attribute} but would read ${names.length} ${classification} column(s) ` +
    `of ${read.table.database}.${read.table.table}${via}: ${listNames(names)}`
  );
}

function declarationSection(grantee: Grantee): string {
  return grantee.kind === 'group' ? 'groups' : 'principals';
}
