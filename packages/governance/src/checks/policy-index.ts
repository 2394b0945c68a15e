import { granteeKeys, principalFromDirectory } from '../access/resolve-access';
import { qualifiedName, type GovernedTable } from '../policy/governed-table';
import { granteeKey, type Grantee, type PolicyDataCellsFilter, type PolicyPrincipal, type PolicySet } from '../policy/policy-set';

/** Lookups over a policy set that the checks share. */
export class PolicyIndex {
  readonly tables = new Map<string, GovernedTable>();
  readonly databases = new Set<string>();
  private readonly filters = new Map<string, PolicyDataCellsFilter>();
  /** Grantee keys that stand for each principal of carelake.yaml. */
  private readonly principalKeys: Array<Set<string>>;

  constructor(readonly policySet: PolicySet) {
    for (const table of policySet.tables) {
      this.tables.set(qualifiedName(table), table);
      this.databases.add(table.database);
    }
    for (const filter of policySet.dataCellsFilters) {
      const key = filterKey(filter.database, filter.table, filter.name);
      if (!this.filters.has(key)) this.filters.set(key, filter);
    }
    this.principalKeys = Object.keys(policySet.directory.principals).map((name) =>
      granteeKeys(policySet, principalFromDirectory(policySet, name)),
    );
  }

  /** True when both grantees are one principal, or one principal of carelake.yaml gets both grants (as a member of a group, say). */
  reachSamePrincipal(a: Grantee, b: Grantee): boolean {
    const [keyA, keyB] = [granteeKey(a), granteeKey(b)];
    return keyA === keyB || this.principalKeys.some((keys) => keys.has(keyA) && keys.has(keyB));
  }

  table(database: string, table: string): GovernedTable | undefined {
    return this.tables.get(`${database}.${table}`);
  }

  tablesOf(database: string): GovernedTable[] {
    return this.policySet.tables.filter((table) => table.database === database);
  }

  filter(database: string, table: string, name: string): PolicyDataCellsFilter | undefined {
    return this.filters.get(filterKey(database, table, name));
  }

  /** True when carelake.yaml declares the principal or group, or the grantee is an IAM ARN. */
  isDeclared(grantee: Grantee): boolean {
    if (grantee.kind === 'iam') return true;
    if (grantee.kind === 'group') return this.policySet.directory.groups.includes(grantee.name);
    return grantee.name === 'runner' || grantee.name in this.policySet.directory.principals;
  }

  /** True when a declaration of the grantee, or of a principal or group with its ARN, sets phiAllowed. */
  phiAllowed(grantee: Grantee): boolean {
    return this.declarationsOf(grantee).some((declared) => declared.phiAllowed);
  }

  /** True when a declaration of the grantee, or of a principal or group with its ARN, sets limitedAllowed or phiAllowed. */
  limitedAllowed(grantee: Grantee): boolean {
    return this.declarationsOf(grantee).some((declared) => declared.limitedAllowed);
  }

  private declarationsOf(grantee: Grantee): PolicyPrincipal[] {
    const key = granteeKey(grantee);
    return this.policySet.principals.filter(
      (declared) => granteeKey(declared.grantee) === key || (grantee.kind === 'iam' && declared.arn === grantee.arn),
    );
  }
}

function filterKey(database: string, table: string, name: string): string {
  return `${database}.${table}/${name}`;
}
