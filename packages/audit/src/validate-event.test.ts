// Pure validation of event inputs: nothing is written, nothing is faked.
import { InvalidAuditEventError } from './errors';
import type { AuditEventInput } from './event';
import { validateEventInput } from './validate-event';
import { commitEvent } from './__fixtures__/audit-fixtures';

function issuesOf(input: unknown): string[] {
  try {
    validateEventInput(input as AuditEventInput);
  } catch (error) {
    if (error instanceof InvalidAuditEventError) {
      return error.issues.map((issue) => `${issue.keyPath}: ${issue.message}`);
    }
    throw error;
  }
  return [];
}

function withDetails(details: Record<string, unknown>): unknown {
  return { ...commitEvent(1), details };
}

describe('validateEventInput', () => {
  it('accepts snake and camel case keys', () => {
    expect(issuesOf(commitEvent(1))).toEqual([]);
  });

  it('accepts an event without details', () => {
    expect(
      issuesOf({ principal: 'analyst', action: 'query.run', resources: [], outcome: 'denied' }),
    ).toEqual([]);
  });

  it.each([
    {
      case: 'string over 200 characters',
      details: { note: 'x'.repeat(201) },
      expected:
        'details.note: string of 201 characters, more than the maximum of 200. Pass an id, count or hash instead',
    },
    {
      case: 'NaN',
      details: { rowCount: Number.NaN },
      expected: 'details.rowCount: expected a finite number, found NaN or Infinity',
    },
    {
      case: 'Infinity',
      details: { durationMs: Number.POSITIVE_INFINITY },
      expected: 'details.durationMs: expected a finite number, found NaN or Infinity',
    },
    {
      case: 'nested object',
      details: { patient: { id: 'p-1' } },
      expected: 'details.patient: expected a string, finite number or boolean, found an object',
    },
    {
      case: 'null value',
      details: { commitId: null },
      expected: 'details.commitId: expected a string, finite number or boolean, found null',
    },
    {
      case: 'array value',
      details: { rowIds: [1, 2] },
      expected: 'details.rowIds: expected a string, finite number or boolean, found an array',
    },
    {
      case: 'kebab-case key',
      details: { 'row-count': 3 },
      expected:
        'details.row-count: expected a lower snake_case or camelCase key of at most 64 characters',
    },
    {
      case: 'upper-case first letter',
      details: { RowCount: 3 },
      expected:
        'details.RowCount: expected a lower snake_case or camelCase key of at most 64 characters',
    },
    {
      case: 'snake and camel mixed',
      details: { row_Count: 3 },
      expected:
        'details.row_Count: expected a lower snake_case or camelCase key of at most 64 characters',
    },
    {
      case: 'key over 64 characters',
      details: { ['k'.repeat(65)]: 3 },
      expected:
        'details.(a key of 65 characters): expected a lower snake_case or camelCase key of at most 64 characters',
    },
  ])('rejects details with $case', ({ details, expected }) => {
    expect(issuesOf(withDetails(details))).toEqual([expected]);
  });

  it('accepts a string of exactly 200 characters', () => {
    expect(issuesOf(withDetails({ sha256: 'a'.repeat(200) }))).toEqual([]);
  });

  it('rejects more than 50 detail keys', () => {
    const details = Object.fromEntries(
      Array.from({ length: 51 }, (_, index) => [`key${index}`, index]),
    );
    expect(issuesOf(withDetails(details))).toEqual([
      'details: 51 keys, more than the maximum of 50',
    ]);
  });

  it('lists every problem of one input at once', () => {
    const input = {
      principal: '',
      action: 'Commit',
      resources: ['clinical.patients', 7],
      outcome: 'ok',
      details: { rowCount: Number.NaN },
      patientName: 'x',
    };
    expect(issuesOf(input)).toEqual([
      'patientName: unknown field; allowed: principal, action, resources, outcome, details',
      'principal: expected a non-empty string',
      'action: expected a dotted lower-case verb such as table.commit or query.run',
      'resources[1]: expected a non-empty string',
      'outcome: expected one of success, failure, denied',
      'details.rowCount: expected a finite number, found NaN or Infinity',
    ]);
  });

  it('keeps rejected values out of the message', () => {
    const secret = 'DOE^JANE^Q born 1961-04-02 '.repeat(10);
    let described = '';
    try {
      validateEventInput(withDetails({ note: secret }) as AuditEventInput);
    } catch (error) {
      described = (error as InvalidAuditEventError).describe();
    }
    expect(described).toContain('details.note');
    expect(described).not.toContain('DOE');
  });
});
