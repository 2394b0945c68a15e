import type { Principal } from '@carelake/core';
import { renderLakeFormationFilter } from '../filter/render-lake-formation';
import type { PolicySet } from '../policy/policy-set';
import { resolveAccess, type AccessSource, type TableAccess } from './resolve-access';

/**
 * Describe what a principal may read, for `carelake grants show --principal X`: each table with
 * its rights, columns, row filter (in Lake Formation's text) and the entries that grant it.
 * With `table`, only that table.
 */
export function explainAccess(policySet: PolicySet, principal: Principal | string, options: { table?: string } = {}): string {
  const resolution = resolveAccess(policySet, principal);
  const lines = [`principal ${resolution.principal}`];
  const denied = policySet.tables.length - resolution.tables.length;

  if (options.table !== undefined) {
    const access = resolution.tables.find((candidate) => `${candidate.database}.${candidate.table}` === options.table);
    const known = policySet.tables.some((candidate) => `${candidate.database}.${candidate.table}` === options.table);
    if (access) lines.push(...explainTable(access, policySet));
    else lines.push(`  ${options.table}: ${known ? 'denied, no grant reaches it' : 'not governed by these policies; name it as database.table, and apply the policies again after registering a new table'}`);
    return lines.join('\n');
  }

  if (resolution.tables.length === 0) {
    lines.push('  no table: nothing is granted, so every table is denied');
    return lines.join('\n');
  }
  for (const access of resolution.tables) lines.push(...explainTable(access, policySet));
  if (denied > 0) lines.push(`${denied} other table(s) denied: no grant reaches them`);
  return lines.join('\n');
}

function explainTable(access: TableAccess, policySet: PolicySet): string[] {
  const table = policySet.tables.find((candidate) => candidate.database === access.database && candidate.table === access.table);
  const total = table?.columns.length ?? access.columns.length;
  const rights = [access.select ? 'select' : undefined, access.describe ? 'describe' : undefined, access.steward ? 'steward' : undefined]
    .filter((right) => right !== undefined)
    .join(', ');
  const lines = [`${access.database}.${access.table}  ${rights}  (${basisText(access)})`];

  if (access.select) {
    lines.push(`  columns (${access.columns.length} of ${total}): ${access.columns.map((column) => column.name).join(', ')}`);
    lines.push(`  rows: ${access.rowFilter === undefined ? 'all' : renderLakeFormationFilter(access.rowFilter)}`);
    for (const column of access.columns) {
      if (column.rowFilter !== undefined) {
        lines.push(`  column ${column.name} only where: ${renderLakeFormationFilter(column.rowFilter)}`);
      }
    }
  }
  for (const origin of access.grants) lines.push(`  from ${originText(origin)}`);
  return lines;
}

function basisText(access: TableAccess): string {
  if (access.basis === 'admin') return 'admin: every table';
  if (access.basis === 'owner') return 'owner of the table';
  return `${access.grants.length} grant(s)`;
}

function originText(origin: AccessSource): string {
  const where = `${origin.source.file} ${origin.source.keyPath}`;
  return origin.filter === undefined ? where : `${where} through data cells filter ${origin.filter}`;
}
