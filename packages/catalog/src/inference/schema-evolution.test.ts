// Pure evolution rules over column lists: no files, no engine, nothing faked.
import type { ColumnInput } from '../catalog';
import { SchemaEvolutionError } from './errors';
import {
  assertEvolutionAccepted,
  evolveSchema,
  type IncomingColumn,
  type SchemaEvolution,
} from './schema-evolution';

const context = {
  table: 'clinical.encounters',
  incomingSource: 'dataset file clinical.encounters.dataset.yaml',
};
const february = 'partition admit_month=2024-02 (file part-0.parquet)';

function acceptedOf(evolution: SchemaEvolution) {
  if (!evolution.accepted)
    throw new Error(`expected acceptance, got ${JSON.stringify(evolution.conflicts)}`);
  return evolution;
}

function conflictsOf(evolution: SchemaEvolution) {
  if (evolution.accepted) throw new Error('expected conflicts, got an accepted evolution');
  return evolution.conflicts;
}

describe('evolveSchema', () => {
  it('adds new columns at the end in incoming order', () => {
    const current: ColumnInput[] = [
      { name: 'encounter_id', type: 'string' },
      { name: 'length_of_stay', type: 'int' },
    ];
    const incoming: IncomingColumn[] = [
      { name: 'discharge_date', type: 'date', seenIn: february },
      { name: 'encounter_id', type: 'string' },
      { name: 'charge_total', type: 'double' },
      { name: 'length_of_stay', type: 'int' },
    ];

    const evolution = acceptedOf(evolveSchema(current, incoming, context));

    expect(evolution.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'encounter_id:string',
      'length_of_stay:int',
      'discharge_date:date',
      'charge_total:double',
    ]);
    expect(evolution.changes).toEqual([
      {
        kind: 'added',
        column: 'discharge_date',
        type: 'date',
        seenIn: february,
        message: `clinical.encounters column "discharge_date" added as date, seen in ${february}`,
      },
      {
        kind: 'added',
        column: 'charge_total',
        type: 'double',
        seenIn: context.incomingSource,
        message: `clinical.encounters column "charge_total" added as double, seen in ${context.incomingSource}`,
      },
    ]);
  });

  it('widens int to bigint and reports it', () => {
    const evolution = acceptedOf(
      evolveSchema(
        [{ name: 'length_of_stay', type: 'int', comment: 'days' }],
        [{ name: 'length_of_stay', type: 'bigint', seenIn: february }],
        context,
      ),
    );

    expect(evolution.columns).toEqual([
      { name: 'length_of_stay', type: 'bigint', comment: 'days' },
    ]);
    expect(evolution.changes).toEqual([
      {
        kind: 'widened',
        column: 'length_of_stay',
        from: 'int',
        to: 'bigint',
        seenIn: february,
        message: `clinical.encounters column "length_of_stay" widened from int to bigint, seen in ${february}`,
      },
    ]);
  });

  it.each([
    { case: 'bigint to int', from: 'bigint', to: 'int' },
    { case: 'double to int', from: 'double', to: 'int' },
    { case: 'double to bigint', from: 'double', to: 'bigint' },
  ] as const)('rejects narrowing $case', ({ from, to }) => {
    const conflicts = conflictsOf(
      evolveSchema(
        [{ name: 'length_of_stay', type: from }],
        [{ name: 'length_of_stay', type: to, seenIn: february }],
        context,
      ),
    );

    expect(conflicts).toEqual([
      {
        kind: 'narrowed',
        column: 'length_of_stay',
        currentType: from,
        incomingType: to,
        seenIn: february,
        message: `clinical.encounters column "length_of_stay" is ${from} in the catalog but ${to} in ${february}, and a column type can widen but not narrow`,
      },
    ]);
  });

  it.each([
    { case: 'string to int', from: 'string', to: 'int' },
    { case: 'int to string', from: 'int', to: 'string' },
    { case: 'date to timestamp', from: 'date', to: 'timestamp' },
    { case: 'timestamp to date', from: 'timestamp', to: 'date' },
    { case: 'int to double', from: 'int', to: 'double' },
    { case: 'bigint to double', from: 'bigint', to: 'double' },
    { case: 'boolean to string', from: 'boolean', to: 'string' },
  ] as const)('rejects changing $case', ({ from, to }) => {
    const conflicts = conflictsOf(
      evolveSchema(
        [{ name: 'facility', type: from }],
        [{ name: 'facility', type: to, seenIn: february }],
        context,
      ),
    );

    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.kind).toBe('incompatible');
    expect(conflicts[0]?.message).toBe(
      `clinical.encounters column "facility" is ${from} in the catalog but ${to} in ${february}, and neither type reads as the other`,
    );
  });

  it('keeps an absent column and reports it', () => {
    const current: ColumnInput[] = [
      { name: 'encounter_id', type: 'string' },
      { name: 'legacy_ward', type: 'string', parameters: { 'carelake.classification': 'limited' } },
    ];

    const evolution = acceptedOf(
      evolveSchema(current, [{ name: 'encounter_id', type: 'string' }], context),
    );

    expect(evolution.columns).toEqual(current);
    expect(evolution.changes).toEqual([
      {
        kind: 'absent',
        column: 'legacy_ward',
        type: 'string',
        message:
          'clinical.encounters column "legacy_ward" is absent from dataset file clinical.encounters.dataset.yaml, so it stays in the catalog and reads as null where the files lack it',
      },
    ]);
  });

  it('leaves identical columns without changes', () => {
    const columns: ColumnInput[] = [
      { name: 'encounter_id', type: 'string' },
      { name: 'admitted_at', type: 'timestamp' },
    ];

    const evolution = acceptedOf(evolveSchema(columns, columns, context));

    expect(evolution.columns).toEqual(columns);
    expect(evolution.changes).toEqual([]);
  });

  it('keeps catalog metadata unless incoming brings its own', () => {
    const current: ColumnInput[] = [
      {
        name: 'patient_name',
        type: 'string',
        comment: 'PID-5',
        parameters: { 'carelake.classification': 'phi' },
      },
      { name: 'facility', type: 'string', comment: 'PV1-3.4' },
    ];
    const incoming: IncomingColumn[] = [
      { name: 'patient_name', type: 'string' },
      {
        name: 'facility',
        type: 'string',
        comment: 'assigned facility, PV1-3.4',
        parameters: { 'carelake.row_filter': 'yes' },
      },
    ];

    const evolution = acceptedOf(evolveSchema(current, incoming, context));

    expect(evolution.columns).toEqual([
      {
        name: 'patient_name',
        type: 'string',
        comment: 'PID-5',
        parameters: { 'carelake.classification': 'phi' },
      },
      {
        name: 'facility',
        type: 'string',
        comment: 'assigned facility, PV1-3.4',
        parameters: { 'carelake.row_filter': 'yes' },
      },
    ]);
  });

  it('rejects a required new column on an existing table', () => {
    const conflicts = conflictsOf(
      evolveSchema(
        [{ name: 'encounter_id', type: 'string' }],
        [
          { name: 'encounter_id', type: 'string' },
          { name: 'visit_number', type: 'bigint', nullable: false },
        ],
        context,
      ),
    );

    expect(conflicts).toEqual([
      {
        kind: 'required-column-added',
        column: 'visit_number',
        incomingType: 'bigint',
        seenIn: context.incomingSource,
        message:
          'clinical.encounters column "visit_number" is new and not nullable, but the files already in the table have no value for it',
      },
    ]);
  });

  it('accepts required columns on a new table', () => {
    const incoming: IncomingColumn[] = [
      { name: 'encounter_id', type: 'string', nullable: false, seenIn: february },
    ];

    const evolution = acceptedOf(evolveSchema([], incoming, context));

    expect(evolution.columns).toEqual([{ name: 'encounter_id', type: 'string' }]);
    expect(evolution.changes.map((change) => change.kind)).toEqual(['added']);
  });

  it('rejects a column declared twice', () => {
    const conflicts = conflictsOf(
      evolveSchema(
        [],
        [
          { name: 'facility', type: 'string' },
          { name: 'facility', type: 'int' },
        ],
        context,
      ),
    );

    expect(conflicts.map((conflict) => conflict.message)).toEqual([
      'clinical.encounters column "facility" is declared 2 times in dataset file clinical.encounters.dataset.yaml',
    ]);
  });

  it('reports every conflict at once', () => {
    const conflicts = conflictsOf(
      evolveSchema(
        [
          { name: 'length_of_stay', type: 'bigint' },
          { name: 'facility', type: 'string' },
          { name: 'encounter_id', type: 'string' },
        ],
        [
          { name: 'length_of_stay', type: 'int' },
          { name: 'facility', type: 'int' },
          { name: 'encounter_id', type: 'string' },
          { name: 'ward', type: 'string', nullable: false },
        ],
        { table: 'clinical.encounters' },
      ),
    );

    expect(
      conflicts.map((conflict) => `${conflict.kind}:${conflict.column}:${conflict.seenIn}`),
    ).toEqual([
      'narrowed:length_of_stay:the incoming schema',
      'incompatible:facility:the incoming schema',
      'required-column-added:ward:the incoming schema',
    ]);
  });
});

describe('assertEvolutionAccepted', () => {
  it('returns an accepted evolution', () => {
    const evolution = evolveSchema([], [{ name: 'encounter_id', type: 'string' }], context);

    expect(assertEvolutionAccepted(evolution, context.table)).toBe(evolution);
  });

  it('raises with every conflict and a hint', () => {
    const evolution = evolveSchema(
      [
        { name: 'length_of_stay', type: 'bigint' },
        { name: 'facility', type: 'string' },
      ],
      [
        { name: 'length_of_stay', type: 'int', seenIn: february },
        { name: 'facility', type: 'int', seenIn: february },
      ],
      context,
    );

    let raised: unknown;
    try {
      assertEvolutionAccepted(evolution, context.table);
    } catch (error) {
      raised = error;
    }

    expect(raised).toBeInstanceOf(SchemaEvolutionError);
    const error = raised as SchemaEvolutionError;
    expect(error.conflicts.map((conflict) => conflict.column)).toEqual([
      'length_of_stay',
      'facility',
    ]);
    expect(error.describe()).toMatchInlineSnapshot(`
     "cannot change the columns of clinical.encounters: 2 conflicts Athena fails queries on a table whose files store a column in a type it cannot read as the declared one. Write the new type into a new column, or rewrite the table with one type.
       - columns.length_of_stay: clinical.encounters column "length_of_stay" is bigint in the catalog but int in partition admit_month=2024-02 (file part-0.parquet), and a column type can widen but not narrow
       - columns.facility: clinical.encounters column "facility" is string in the catalog but int in partition admit_month=2024-02 (file part-0.parquet), and neither type reads as the other"
    `);
  });
});
