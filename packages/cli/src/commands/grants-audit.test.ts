// Real: policy files in a temp folder loaded and planned by @carelake/governance. Faked: nothing;
// the datasets are in-memory definitions instead of dataset files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetSchema } from '@carelake/core';
import { loadPolicies, planLocal, policySetHash, type PolicySet } from '@carelake/governance';
import { applyAuditEvents } from './grants-audit';

const DATASETS = [
  datasetSchema.parse({
    table: 'clinical.visits',
    description: 'Synthetic visits.',
    owner: 'data-engineering',
    steward: 'clinical-steward',
    classification: 'limited',
    retention: 'none',
    columns: {
      visit_key: { type: 'string', identifier: 'other_unique' },
      patient_name: { type: 'string', classification: 'phi', identifier: 'name' },
      facility: { type: 'string', classification: 'public' },
    },
  }),
  datasetSchema.parse({
    table: 'deid.visits',
    description: 'Synthetic de-identified visits.',
    classification: 'deidentified',
    retention: 'none',
    columns: { visit_month: { type: 'string' }, facility: { type: 'string' } },
  }),
];

const CONFIG = {
  principals: { ana: { role: 'user' as const, groups: ['analysts'] }, rita: { role: 'user' as const, groups: [] } },
  groups: { analysts: {} },
};

const TAGS = 'lfTags:\n  classification: { values: [phi, limited, deidentified, public], fromDatasets: classification }\n';

function policySet(files: Record<string, string>): PolicySet {
  const folder = mkdtempSync(join(tmpdir(), 'carelake-grants-audit-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    return loadPolicies(folder, { config: CONFIG, datasets: DATASETS });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A row filter longer than an audit detail may be. */
const FACILITIES = Array.from({ length: 40 }, (_, index) => `'F${String(index).padStart(3, '0')}'`).join(', ');

const FILTERED = policySet({
  'tags.policy.yaml': TAGS,
  'analysts.policy.yaml': `
groups:
  analysts: { limitedAllowed: true }
dataCellsFilters:
  - name: north
    table: clinical.visits
    rows: "facility = 'NORTH' OR facility = 'NORTH_ANNEX'"
    columns: { excludeClassifications: [phi] }
  - name: many_facilities
    table: deid.visits
    rows: "facility IN (${FACILITIES})"
grants:
  - group: analysts
    table: clinical.visits
    permissions: [select]
    filters: [north]
  - principal: ana
    table: deid.visits
    permissions: [select]
    filters: [many_facilities]
tagGrants:
  - principal: rita
    resourceType: table
    expression: { classification: deidentified }
    permissions: [select]
`,
});

const COLUMNS_ONLY = policySet({
  'tags.policy.yaml': TAGS,
  'analysts.policy.yaml': `
grants:
  - group: analysts
    table: clinical.visits
    permissions: [select]
    columns: { include: [facility] }
`,
});

describe('applyAuditEvents', () => {
  const first = applyAuditEvents(
    planLocal(FILTERED, undefined).plan,
    { applied: FILTERED, previous: undefined, appliedSha256: policySetHash(FILTERED), previousSha256: undefined },
    'admin',
  );

  it.each([
    {
      case: 'a grant through a data cells filter',
      action: 'permission.grant',
      grantee: 'group:analysts',
      resources: ['clinical.visits', 'clinical.visits.visit_key', 'clinical.visits.facility'],
      details: { permissions: 'SELECT', resourceKind: 'dataCellsFilter', filter: 'north', rowFilter: "facility = 'NORTH' OR facility = 'NORTH_ANNEX'" },
    },
    {
      case: 'an LF-tag grant',
      action: 'permission.grant',
      grantee: 'principal:rita',
      resources: ['deid.visits'],
      details: { permissions: 'SELECT', resourceKind: 'tagPolicy', tagExpression: 'tags:TABLE:classification=deidentified' },
    },
    {
      case: 'a row filter too long for a detail by its hash',
      action: 'permission.grant',
      grantee: 'principal:ana',
      resources: ['deid.visits', 'deid.visits.visit_month', 'deid.visits.facility'],
      details: { filter: 'many_facilities', rowFilter: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    },
  ])('describes $case', ({ action, grantee, resources, details }) => {
    const event = first.find((candidate) => candidate.action === action && candidate.details?.['grantee'] === grantee);

    expect(event?.principal).toBe('admin');
    expect(event?.outcome).toBe('success');
    expect(event?.resources).toEqual(resources);
    expect(event?.details).toMatchObject(details);
  });

  it('records a created filter and a summary', () => {
    const created = first.find((event) => event.action === 'data_cells_filter.create');
    const summary = first.at(-1);

    expect(created?.resources).toEqual(['clinical.visits', 'clinical.visits.visit_key', 'clinical.visits.facility']);
    expect(created?.details?.['filter']).toBe('north');
    expect(summary?.action).toBe('governance.apply');
    expect(summary?.details).toMatchObject({ policySha256: policySetHash(FILTERED), createFilters: 2, grants: 3 });
  });

  it('describes a revoke from the policies it replaces', () => {
    const events = applyAuditEvents(
      planLocal(COLUMNS_ONLY, { formatVersion: 1, sha256: policySetHash(FILTERED), appliedAt: '2026-01-01T00:00:00.000Z', policySet: FILTERED }).plan,
      { applied: COLUMNS_ONLY, previous: FILTERED, appliedSha256: policySetHash(COLUMNS_ONLY), previousSha256: policySetHash(FILTERED) },
      'admin',
    );
    const revoke = events.find((event) => event.action === 'permission.revoke' && event.details?.['resourceKind'] === 'dataCellsFilter');
    const grant = events.find((event) => event.action === 'permission.grant');
    const deleted = events.find((event) => event.action === 'data_cells_filter.delete');

    expect(revoke?.details?.['rowFilter']).toBe("facility = 'NORTH' OR facility = 'NORTH_ANNEX'");
    expect(grant?.details?.['resourceKind']).toBe('tableColumns');
    expect(grant?.resources).toEqual(['clinical.visits', 'clinical.visits.facility']);
    expect(deleted?.resources[0]).toBe('clinical.visits');
    expect(events.at(-1)?.details?.['previousPolicySha256']).toBe(policySetHash(FILTERED));
  });
});
