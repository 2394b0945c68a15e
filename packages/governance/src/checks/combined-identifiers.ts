import type { IdentifierKind } from '@carelake/core';
import { resolveAccess, principalFromDirectory } from '../access/resolve-access';
import type { GovernedTable } from '../policy/governed-table';
import type { PolicySet } from '../policy/policy-set';
import { listNames, type ProblemList } from './problems';

/**
 * Identifier kinds whose values point at one record, so that equal values in two tables join the
 * same patient's rows. Dates, places, names and quasi-identifiers repeat across patients, so they
 * do not count as a join here.
 */
const LINKING_KINDS: ReadonlySet<IdentifierKind> = new Set([
  'medical_record_number',
  'health_plan_number',
  'account_number',
  'ssn',
  'certificate_license_number',
  'vehicle_identifier',
  'device_identifier',
  'other_unique',
  'email',
  'phone',
  'fax',
  'url',
  'ip_address',
]);

interface ExposedTable {
  name: string;
  kinds: Set<IdentifierKind>;
  /** Visible columns with a linking identifier kind, as `name:kind`. */
  links: Set<string>;
}

/**
 * Warn when one principal can join tables on a shared record identifier, and the joined tables
 * together show more identifier kinds (names, dates, places, record numbers, quasi-identifiers)
 * than any one of them shows alone. Combined, such tables can re-identify patients that no single
 * table identifies. Admins and owners see whole tables by design and are not checked.
 *
 * NOTE: a join through quasi-identifier values (birth date plus postal code, say) is not detected,
 * only a join through a column of the same name and a linking identifier kind.
 */
export function checkCombinedIdentifiers(policySet: PolicySet, problems: ProblemList): void {
  const tables = new Map(policySet.tables.map((table) => [`${table.database}.${table.table}`, table]));

  for (const name of Object.keys(policySet.directory.principals).sort()) {
    const principal = principalFromDirectory(policySet, name);
    if (principal.role === 'admin') continue;
    const exposed = resolveAccess(policySet, principal)
      .tables.filter((access) => access.basis === 'grants' && access.select)
      .map((access) => exposedTable(tables.get(`${access.database}.${access.table}`), access.columns.map((column) => column.name)))
      .filter((table): table is ExposedTable => table !== undefined);

    for (const group of linkedGroups(exposed)) {
      const union = new Set(group.flatMap((table) => [...table.kinds]));
      const widest = Math.max(...group.map((table) => table.kinds.size));
      if (union.size <= widest) continue;
      const joins = sharedLinks(group).map((link) => link.split(':')[0] as string);
      problems.warning(
        'combined-identifiers',
        undefined,
        `principal ${name} can join ${listNames(group.map((table) => table.name))} on ${listNames([...new Set(joins)])}, ` +
          `and together they show identifier kinds ${listNames([...union].sort(), 20)} of the same patients, more than any one of them alone`,
      );
    }
  }
}

function exposedTable(table: GovernedTable | undefined, visible: readonly string[]): ExposedTable | undefined {
  if (table === undefined) return undefined;
  const shown = new Set(visible);
  const kinds = new Set<IdentifierKind>();
  const links = new Set<string>();
  for (const column of table.columns) {
    if (!shown.has(column.name) || column.identifier === undefined) continue;
    kinds.add(column.identifier);
    if (LINKING_KINDS.has(column.identifier)) links.add(`${column.name}:${column.identifier}`);
  }
  return kinds.size === 0 ? undefined : { name: `${table.database}.${table.table}`, kinds, links };
}

/** Linking columns that appear in two or more tables of the group. */
function sharedLinks(group: readonly ExposedTable[]): string[] {
  const counts = new Map<string, number>();
  for (const link of group.flatMap((table) => [...table.links])) counts.set(link, (counts.get(link) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([link]) => link);
}

/** Group tables that share a linking column, directly or through other tables; groups of one table are left out. */
function linkedGroups(tables: readonly ExposedTable[]): ExposedTable[][] {
  const groupOf = tables.map((_, index) => index);
  const find = (index: number): number => (groupOf[index] === index ? index : (groupOf[index] = find(groupOf[index] as number)));

  tables.forEach((table, index) => {
    tables.forEach((other, otherIndex) => {
      if (otherIndex <= index) return;
      if ([...table.links].some((link) => other.links.has(link))) groupOf[find(otherIndex)] = find(index);
    });
  });

  const groups = new Map<number, ExposedTable[]>();
  tables.forEach((table, index) => groups.set(find(index), [...(groups.get(find(index)) ?? []), table]));
  return [...groups.values()].filter((group) => group.length > 1);
}
