import type { PolicyProblem } from '../errors';
import type { PolicySet } from '../policy/policy-set';
import { checkClassifications } from './classification-checks';
import { checkCombinedIdentifiers } from './combined-identifiers';
import { checkLakeFormationRules } from './lake-formation-rules';
import { PolicyIndex } from './policy-index';
import { ProblemList } from './problems';
import { checkReferences } from './reference-checks';

/**
 * Check a policy set before anything is applied and return every problem. Errors are unknown
 * names, row filters that do not fit their table, shapes Lake Formation rejects, and phi or limited
 * columns granted to principals not allowed them. Warnings are combinations that widen a filter or
 * join identifiers.
 */
export function checkPolicies(policySet: PolicySet): PolicyProblem[] {
  const index = new PolicyIndex(policySet);
  const problems = new ProblemList();
  checkReferences(index, problems);
  checkLakeFormationRules(index, problems);
  checkClassifications(index, problems);
  checkCombinedIdentifiers(policySet, problems);
  return problems.problems;
}

/** True when some problem is an error, which stops plan and apply. */
export function hasErrors(problems: readonly PolicyProblem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
