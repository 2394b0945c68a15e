import { selectColumns } from '../access/column-selection';
import { EffectiveTags, matchesExpression, tagResourceKey } from '../access/effective-tags';
import { describeGrantee, granteeKey, type ColumnsSpec, type PolicyGrant, type PolicySet } from '../policy/policy-set';
import type { PolicyIndex } from './policy-index';
import type { ProblemList } from './problems';

/** Lake Formation's limit on data filters in one grant on a table (row-filtering-intro). */
export const MAX_FILTERS_PER_GRANT = 10;
/** Lake Formation's limit on data filter SELECT permissions of one principal on one table. */
export const MAX_FILTER_GRANTS_PER_PRINCIPAL_TABLE = 100;
/** Lake Formation's limit on LF-tags assigned to one Data Catalog resource (TBAC-notes). */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Shapes and combinations that Lake Formation rejects, or that would not restrict what they seem to. */
export function checkLakeFormationRules(index: PolicyIndex, problems: ProblemList): void {
  for (const grant of index.policySet.grants) checkGrantShape(grant, problems);
  checkFilterShapes(index, problems);
  checkTagAssignmentShapes(index.policySet, problems);
  checkTagGrantShapes(index, problems);
  checkFilterGrantCounts(index.policySet, problems);
  checkUnionsThatWidenFilters(index, problems);
}

function checkGrantShape(grant: PolicyGrant, problems: ProblemList): void {
  const { resource, permissions, columns } = grant;
  const at = grant.source.keyPath;

  if (resource.kind === 'database' && permissions.includes('select')) {
    problems.error('select-on-database', grant.source, `SELECT is granted on tables, not on database ${resource.database}: write table: ${resource.database}.*`, `${at}.permissions`);
  }
  if (resource.kind !== 'table' && columns !== undefined) {
    problems.error('columns-need-table', grant.source, 'a column selection needs a named table (Lake Formation has no column list for every table of a database)', `${at}.columns`);
  }
  if (resource.kind !== 'table' && grant.filters !== undefined) {
    problems.error('filters-need-table', grant.source, 'data cells filters belong to one table: name the table', `${at}.filters`);
  }
  if (includesAndExcludes(columns)) {
    problems.error('include-and-exclude', grant.source, 'a column selection is an include list or an exclude list, not both (Lake Formation takes ColumnNames or ColumnWildcard)', `${at}.columns`);
  }
  if (columns !== undefined && permissions.some((permission) => permission === 'steward' || permission === 'admin')) {
    problems.error('columns-with-steward', grant.source, 'steward and admin rights cover whole tables: grant them without columns, in a grant of their own', `${at}.columns`);
  }
  if (grant.grantOption && columns !== undefined && columns.include === undefined) {
    problems.error('grant-option-exclude', grant.source, 'SELECT with the grant option and column filtering needs an include list, not an exclude list (a Lake Formation rule)', `${at}.columns`);
  }
  if (grant.filters !== undefined) {
    if (columns !== undefined) {
      problems.error('filters-and-columns', grant.source, 'a grant through data cells filters takes its columns from the filters: move the column selection into the filters', `${at}.columns`);
    }
    if (permissions.some((permission) => permission === 'steward' || permission === 'admin')) {
      problems.error('filters-with-steward', grant.source, 'only SELECT and DESCRIBE can be granted with data cells filters', `${at}.permissions`);
    }
    if (!permissions.includes('select')) {
      problems.error('filters-without-select', grant.source, 'data cells filters narrow SELECT: add select to permissions or drop filters', `${at}.permissions`);
    }
    if (grant.filters.length > MAX_FILTERS_PER_GRANT) {
      problems.error('too-many-filters', grant.source, `${grant.filters.length} data cells filters in one grant, more than Lake Formation's ${MAX_FILTERS_PER_GRANT}`, `${at}.filters`);
    }
  }
}

function includesAndExcludes(columns: ColumnsSpec | undefined): boolean {
  if (columns?.include === undefined) return false;
  return columns.exclude !== undefined || columns.excludeClassifications !== undefined || columns.excludeIdentifiers !== undefined;
}

function checkFilterShapes(index: PolicyIndex, problems: ProblemList): void {
  for (const filter of index.policySet.dataCellsFilters) {
    const columns = filter.columns;
    if (includesAndExcludes(columns)) {
      problems.error('include-and-exclude', filter.source, 'a data cells filter takes an include list (ColumnNames) or exclusions (ColumnWildcard), not both', `${filter.source.keyPath}.columns`);
    }
    const table = index.table(filter.database, filter.table);
    if (table !== undefined && selectColumns(table, columns).length === 0) {
      problems.error('no-columns', filter.source, `data cells filter "${filter.name}" keeps no column of ${filter.database}.${filter.table}`, `${filter.source.keyPath}.columns`);
    }
  }
}

function checkTagAssignmentShapes(policySet: PolicySet, problems: ProblemList): void {
  const byResource = new Map<string, Map<string, { value: string; source: PolicySet['tagAssignments'][number]['source'] }>>();
  for (const assignment of policySet.tagAssignments) {
    if (assignment.values.length > 1) {
      problems.error('one-value-per-key', assignment.source, `LF-tag "${assignment.key}" gets ${assignment.values.length} values on ${tagResourceKey(assignment.resource)}: Lake Formation allows one value per key on a resource`);
    }
    const resource = tagResourceKey(assignment.resource);
    const tags = byResource.get(resource) ?? new Map();
    byResource.set(resource, tags);
    const value = assignment.values[0] as string;
    const earlier = tags.get(assignment.key);
    if (earlier !== undefined && earlier.value !== value) {
      problems.error(
        'one-value-per-key',
        assignment.source,
        `LF-tag "${assignment.key}" on ${resource} is already "${earlier.value}" from ${earlier.source.file} ${earlier.source.keyPath}: Lake Formation allows one value per key on a resource`,
      );
    }
    if (earlier === undefined) tags.set(assignment.key, { value, source: assignment.source });
  }
  for (const [resource, tags] of byResource) {
    if (tags.size > MAX_TAGS_PER_RESOURCE) {
      const source = [...tags.values()][MAX_TAGS_PER_RESOURCE]?.source;
      problems.error('too-many-tags', source, `${resource} has ${tags.size} LF-tags, more than Lake Formation's ${MAX_TAGS_PER_RESOURCE}`);
    }
  }
}

function checkTagGrantShapes(index: PolicyIndex, problems: ProblemList): void {
  const tags = new EffectiveTags(index.policySet);
  for (const grant of index.policySet.tagGrants) {
    const at = grant.source.keyPath;
    if (grant.resourceType === 'database' && grant.permissions.includes('select')) {
      problems.error('select-on-database', grant.source, 'SELECT matches tables: use resourceType: table', `${at}.permissions`);
    }
    if (grant.resourceType !== 'table' || !grant.permissions.some((permission) => permission === 'steward' || permission === 'admin')) continue;
    for (const table of index.policySet.tables) {
      const matching = table.columns.filter((column) => matchesExpression(tags.column(table, column.name), grant.expression));
      if (matching.length > 0 && matching.length < table.columns.length) {
        problems.warning(
          'partial-tag-match',
          grant.source,
          `the expression matches ${matching.length} of ${table.columns.length} columns of ${table.database}.${table.table}, so Lake Formation grants only DESCRIBE (or SELECT and DESCRIBE for admin) there, not the steward rights`,
        );
      }
    }
  }
}

function checkFilterGrantCounts(policySet: PolicySet, problems: ProblemList): void {
  const counts = new Map<string, { count: number; grant: PolicyGrant }>();
  for (const grant of policySet.grants) {
    if (grant.filters === undefined || grant.resource.kind !== 'table') continue;
    const key = `${granteeKey(grant.grantee)}|${grant.resource.database}.${grant.resource.table}`;
    const entry = counts.get(key) ?? { count: 0, grant };
    entry.count += grant.filters.length;
    counts.set(key, entry);
  }
  for (const [key, { count, grant }] of counts) {
    if (count > MAX_FILTER_GRANTS_PER_PRINCIPAL_TABLE) {
      const table = key.split('|')[1] as string;
      problems.error('too-many-filter-grants', grant.source, `${describeGrantee(grant.grantee)} gets SELECT through ${count} data cells filters on ${table}, more than Lake Formation's ${MAX_FILTER_GRANTS_PER_PRINCIPAL_TABLE}`);
    }
  }
}

/**
 * Lake Formation grants the union of named-resource and LF-tag grants, and the union of the rows
 * of a principal's grants. A data cells filter next to a grant of the whole table to the same
 * grantee (by name or through LF-tags) therefore restricts nothing. Data cells filters can only be
 * granted as named resources, so the tag-based grant is the one to remove or narrow.
 */
function checkUnionsThatWidenFilters(index: PolicyIndex, problems: ProblemList): void {
  const tags = new EffectiveTags(index.policySet);
  const filtered = index.policySet.grants.filter((grant) => grant.filters !== undefined && grant.resource.kind === 'table' && grant.permissions.includes('select'));

  for (const filterGrant of filtered) {
    const resource = filterGrant.resource as { database: string; table: string };
    const table = index.table(resource.database, resource.table);
    if (table === undefined) continue;
    const name = `${table.database}.${table.table}`;

    for (const tagGrant of index.policySet.tagGrants) {
      if (!index.reachSamePrincipal(filterGrant.grantee, tagGrant.grantee) || tagGrant.resourceType !== 'table') continue;
      if (!tagGrant.permissions.some((permission) => permission === 'select' || permission === 'admin')) continue;
      if (!table.columns.some((column) => matchesExpression(tags.column(table, column.name), tagGrant.expression))) continue;
      problems.error(
        'filter-with-tag-grant',
        tagGrant.source,
        `this LF-tag grant gives ${describeGrantee(tagGrant.grantee)} SELECT on ${name}, which ${filterGrant.source.file} ${filterGrant.source.keyPath} grants ${describeGrantee(filterGrant.grantee)} only through data cells filters: Lake Formation unions the two, so the filters would restrict nothing`,
      );
    }
    for (const grant of index.policySet.grants) {
      if (grant === filterGrant || grant.filters !== undefined || !index.reachSamePrincipal(filterGrant.grantee, grant.grantee)) continue;
      if (!grant.permissions.some((permission) => permission === 'select' || permission === 'admin')) continue;
      const reaches = grant.resource.kind === 'allTables' ? grant.resource.database === table.database : grant.resource.kind === 'table' && `${grant.resource.database}.${grant.resource.table}` === name;
      if (!reaches) continue;
      problems.warning(
        'filter-widened',
        grant.source,
        `this grant gives ${describeGrantee(grant.grantee)} every row of ${name}, which ${filterGrant.source.file} ${filterGrant.source.keyPath} grants ${describeGrantee(filterGrant.grantee)} through data cells filters: Lake Formation unions them, so the filters restrict nothing`,
      );
    }
  }
}

