import { emptyGovernancePlan, type GovernancePlan, type TagResource } from '@carelake/governance';
import { formatPlan } from './plan-listing';

function column(table: string, name: string): TagResource {
  return { kind: 'column', database: 'clinical', table, column: name };
}

/** Builds a first plan: one LF-tag, five columns of two tables and one table tagged public, one grant. */
function firstPlan(): GovernancePlan {
  const plan = emptyGovernancePlan();
  plan.createTags.push({ key: 'classification', values: ['phi', 'public'] });
  const columns = [column('patients', 'a'), column('patients', 'b'), column('patients', 'c'), column('orders', 'a'), column('orders', 'b')];
  for (const resource of columns) plan.assignTags.push({ resource, tags: { classification: 'public' } });
  plan.assignTags.push({ resource: { kind: 'table', database: 'clinical', table: 'notes' }, tags: { classification: 'public' } });
  plan.assignTags.push({ resource: column('patients', 'name'), tags: { classification: 'phi' } });
  plan.grants.push({ principal: 'group:analysts', resource: { kind: 'database', database: 'clinical' }, permissions: ['DESCRIBE'], grantable: [] });
  return plan;
}

describe('formatPlan', () => {
  it('counts large tag changes', () => {
    const lines = formatPlan(firstPlan()).split('\n');

    expect(lines).toEqual([
      '+ LF-tag classification = phi, public',
      '+ tags classification=public on 1 table, 5 columns in 2 tables',
      '+ tags classification=phi on clinical.patients.name',
      '+ grant DESCRIBE on database:clinical to group:analysts',
      '(tag changes are counted; add --detail to list each resource)',
    ]);
  });

  it('lists every resource with detail', () => {
    const lines = formatPlan(firstPlan(), { detail: true }).split('\n');

    expect(lines).toHaveLength(9);
    expect(lines).toContain('+ tags classification=public on clinical.orders.b');
    expect(lines).not.toContain('(tag changes are counted; add --detail to list each resource)');
  });

  it('names resources of small changes', () => {
    const plan = emptyGovernancePlan();
    plan.unassignTags.push({ resource: column('patients', 'a'), tags: { classification: 'phi' } });
    plan.assignTags.push({ resource: column('patients', 'a'), tags: { classification: 'public' } });

    expect(formatPlan(plan)).toBe(
      '- tags classification=phi on clinical.patients.a\n+ tags classification=public on clinical.patients.a',
    );
  });

  it('names a small group without a hint', () => {
    const plan = emptyGovernancePlan();
    plan.assignTags.push({ resource: column('patients', 'a'), tags: { classification: 'phi', domain: 'x' } });
    plan.assignTags.push({ resource: column('patients', 'b'), tags: { domain: 'x', classification: 'phi' } });

    expect(formatPlan(plan)).toBe('+ tags classification=phi, domain=x on clinical.patients.a, clinical.patients.b');
  });

  it('reports an empty plan', () => {
    expect(formatPlan(emptyGovernancePlan())).toBe('no changes');
  });
});
