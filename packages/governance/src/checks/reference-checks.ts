import { checkRowFilter } from '../filter/check-row-filter';
import type { GovernedTable } from '../policy/governed-table';
import { describeGrantee, granteeKey, type ColumnsSpec, type PolicySource } from '../policy/policy-set';
import type { PolicyIndex } from './policy-index';
import { listNames, type ProblemList } from './problems';

/**
 * Names that must resolve: principals and groups in carelake.yaml, databases, tables and columns
 * in the datasets, data cells filters of the granted table, LF-tag keys and values declared under
 * lfTags. Also declarations that contradict each other across files.
 */
export function checkReferences(index: PolicyIndex, problems: ProblemList): void {
  checkPrincipalDeclarations(index, problems);
  checkGrantReferences(index, problems);
  checkFilterReferences(index, problems);
  checkTagReferences(index, problems);
}

function checkPrincipalDeclarations(index: PolicyIndex, problems: ProblemList): void {
  const first = new Map<string, (typeof index.policySet.principals)[number]>();
  for (const declared of index.policySet.principals) {
    if (!index.isDeclared(declared.grantee)) {
      problems.error('unknown-principal', declared.source, `${describeGrantee(declared.grantee)} is not declared in carelake.yaml`);
    }
    const key = granteeKey(declared.grantee);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, declared);
    } else if (earlier.phiAllowed !== declared.phiAllowed || earlier.limitedAllowed !== declared.limitedAllowed || earlier.arn !== declared.arn) {
      problems.error(
        'conflicting-principal',
        declared.source,
        `${describeGrantee(declared.grantee)} is also declared in ${earlier.source.file} ${earlier.source.keyPath} with other attributes; declare it once`,
      );
    }
  }

  const granted = [...index.policySet.grants, ...index.policySet.tagGrants];
  for (const grant of granted) {
    if (index.isDeclared(grant.grantee)) continue;
    const under = grant.grantee.kind === 'group' ? 'groups' : 'principals';
    problems.error('unknown-principal', grant.source, `${describeGrantee(grant.grantee)} is not declared under ${under} in carelake.yaml`);
  }
}

function checkGrantReferences(index: PolicyIndex, problems: ProblemList): void {
  for (const grant of index.policySet.grants) {
    const resource = grant.resource;
    const tableKeyPath = grant.source.tableKeyPath;
    if (!index.databases.has(resource.database)) {
      problems.error('unknown-database', grant.source, `database "${resource.database}" has no table in the datasets`, tableKeyPath);
      continue;
    }
    if (resource.kind !== 'table') continue;
    const table = index.table(resource.database, resource.table);
    if (table === undefined) {
      problems.error('unknown-table', grant.source, `table ${resource.database}.${resource.table} is not described by a dataset file`, tableKeyPath);
      continue;
    }
    checkColumnNames(table, grant.columns, grant.source, `${grant.source.keyPath}.columns`, problems);
    grant.filters?.forEach((name, position) => {
      if (index.filter(resource.database, resource.table, name) === undefined) {
        problems.error(
          'unknown-filter',
          grant.source,
          `data cells filter "${name}" is not declared for ${resource.database}.${resource.table} under dataCellsFilters`,
          `${grant.source.keyPath}.filters[${position}]`,
        );
      }
    });
  }
}

function checkFilterReferences(index: PolicyIndex, problems: ProblemList): void {
  const seen = new Map<string, PolicySource>();
  for (const filter of index.policySet.dataCellsFilters) {
    const table = index.table(filter.database, filter.table);
    if (table === undefined) {
      problems.error('unknown-table', filter.source, `table ${filter.database}.${filter.table} is not described by a dataset file`, filter.source.tableKeyPath);
      continue;
    }
    const key = `${filter.database}.${filter.table}/${filter.name}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.error('duplicate-filter', filter.source, `data cells filter "${filter.name}" of ${filter.database}.${filter.table} is also declared in ${earlier.file} ${earlier.keyPath}`);
    }
    seen.set(key, filter.source);

    checkColumnNames(table, filter.columns, filter.source, `${filter.source.keyPath}.columns`, problems);
    if (filter.rowFilter !== undefined) {
      for (const message of checkRowFilter(filter.rowFilter.tree, table)) {
        problems.error('invalid-row-filter', filter.source, `row filter on ${filter.database}.${filter.table}: ${message}`, `${filter.source.keyPath}.rows`);
      }
    }
  }
}

function checkColumnNames(table: GovernedTable, spec: ColumnsSpec | undefined, source: PolicySource, keyPath: string, problems: ProblemList): void {
  if (spec === undefined) return;
  const names = new Set(table.columns.map((column) => column.name));
  for (const list of ['include', 'exclude'] as const) {
    spec[list]?.forEach((name, position) => {
      if (!names.has(name)) {
        problems.error('unknown-column', source, `column "${name}" is not a column of ${table.database}.${table.table}`, `${keyPath}.${list}[${position}]`);
      }
    });
  }
}

function checkTagReferences(index: PolicyIndex, problems: ProblemList): void {
  const declared = new Map<string, (typeof index.policySet.lfTags)[number]>();
  for (const tag of index.policySet.lfTags) {
    const earlier = declared.get(tag.key);
    if (earlier !== undefined && [...earlier.values].sort().join(',') !== [...tag.values].sort().join(',')) {
      problems.error('conflicting-tag', tag.source, `LF-tag "${tag.key}" is also declared in ${earlier.source.file} ${earlier.source.keyPath} with other values`);
    }
    if (earlier === undefined) declared.set(tag.key, tag);
  }

  const checkValues = (key: string, values: readonly string[], source: PolicySource, keyPath: string): void => {
    const tag = declared.get(key);
    if (tag === undefined) {
      problems.error('unknown-tag', source, `LF-tag "${key}" is not declared under lfTags`, keyPath);
      return;
    }
    const unknown = values.filter((value) => !tag.values.includes(value));
    if (unknown.length > 0) {
      problems.error('unknown-tag-value', source, `LF-tag "${key}" has no value ${listNames(unknown)} (declared: ${tag.values.join(', ')})`, keyPath);
    }
  };

  for (const assignment of index.policySet.tagAssignments) {
    checkValues(assignment.key, assignment.values, assignment.source, assignment.source.keyPath);
    const resource = assignment.resource;
    if (resource.kind === 'database') {
      if (!index.databases.has(resource.database)) {
        problems.error('unknown-database', assignment.source, `database "${resource.database}" has no table in the datasets`);
      }
      continue;
    }
    const table = index.table(resource.database, resource.table);
    if (table === undefined) {
      problems.error('unknown-table', assignment.source, `table ${resource.database}.${resource.table} is not described by a dataset file`);
    } else if (resource.kind === 'column' && !table.columns.some((column) => column.name === resource.column)) {
      problems.error('unknown-column', assignment.source, `column "${resource.column}" is not a column of ${resource.database}.${resource.table}`);
    }
  }
  index.policySet.tagGrants.forEach((grant) => {
    grant.expression.forEach(({ key, values }) => checkValues(key, values, grant.source, `${grant.source.keyPath}.expression.${key}`));
  });
}
