import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { PolicySet } from '../policy/policy-set';
import { applyLakeFormationPlan, type ApplyReport } from './apply-lake-formation';
import type { LakeFormationRetryOptions } from './lake-formation-retry';
import { lakeFormationScope, planLakeFormation, type LakeFormationPlan, type LakeLocation } from './plan-lake-formation';
import { readInForce, type LakeFormationInForce } from './read-in-force';

export interface LakeFormationGovernanceOptions {
  client: LakeFormationClient;
  /** The AWS account id that owns the Data Catalog, which data cells filters name as `TableCatalogId`. */
  catalogId: string;
  /** Location of the lake's files, used to warn about tables Lake Formation does not govern. */
  lakeLocation?: LakeLocation;
  retry?: LakeFormationRetryOptions;
}

/** Plan and apply policies on Lake Formation, as `carelake grants plan` and `apply` do on AWS. */
export class LakeFormationGovernance {
  constructor(private readonly options: LakeFormationGovernanceOptions) {
    if (!/^\d{12}$/.test(options.catalogId)) {
      throw new RangeError(`catalogId must be a 12-digit AWS account id, found "${options.catalogId}"`);
    }
  }

  /** Read what is in force for the tables, principals and LF-tags the policy set manages. */
  readInForce(policySet: PolicySet): Promise<LakeFormationInForce> {
    return readInForce(this.options.client, lakeFormationScope(policySet, this.options.catalogId));
  }

  /** Read what is in force and list the changes the policy set needs. */
  async plan(policySet: PolicySet): Promise<LakeFormationPlan & { inForce: LakeFormationInForce }> {
    const inForce = await this.readInForce(policySet);
    const options = this.options.lakeLocation === undefined ? {} : { lakeLocation: this.options.lakeLocation };
    return { ...planLakeFormation(policySet, inForce, options), inForce };
  }

  /** Apply a plan made by `plan`. */
  apply(plan: LakeFormationPlan): Promise<ApplyReport> {
    const options = this.options.retry === undefined ? { catalogId: this.options.catalogId } : { catalogId: this.options.catalogId, retry: this.options.retry };
    return applyLakeFormationPlan(this.options.client, plan, options);
  }
}
