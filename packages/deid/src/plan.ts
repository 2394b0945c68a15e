import type { ColumnDefinition, ColumnType, ConfigIssue, DatasetDefinition, IdentifierKind } from '@carelake/core';
import { DeidProfileError } from './errors';
import type { ColumnAction, DeidProfile } from './profile';

/** Treatment of one input column, which yields zero, one or two output columns. */
export type ColumnTreatment =
  | 'keep'
  | 'redact'
  | 'study-id'
  | 'year'
  | 'birth-year'
  | 'month'
  | 'zip3'
  | 'age-cap'
  | 'pseudonymize'
  | 'shift-date'
  | 'scrub-text';

export interface OutputColumn {
  name: string;
  type: ColumnType;
}

export interface PlannedColumn {
  column: string;
  identifier: IdentifierKind | undefined;
  treatment: ColumnTreatment;
  /** Empty when the column is redacted. */
  outputs: OutputColumn[];
  /** Reason for the treatment, shown in the run report. */
  reason: string;
}

/**
 * Identifier kinds a limited data set must remove (45 CFR 164.514(e)(2)); a `limited` profile may
 * not keep them as they are. Dates, town, state and ZIP code may stay in a limited data set.
 * NOTE: `geographic` is absent because the kind does not tell a city from a street address. A
 * limited data set must remove street addresses, so the profile author has to redact them.
 */
const LIMITED_DATA_SET_EXCLUDED: ReadonlySet<IdentifierKind> = new Set<IdentifierKind>([
  'name',
  'phone',
  'fax',
  'email',
  'ssn',
  'medical_record_number',
  'health_plan_number',
  'account_number',
  'certificate_license_number',
  'vehicle_identifier',
  'device_identifier',
  'url',
  'ip_address',
  'biometric',
  'photo',
]);

const DATE_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>(['date', 'timestamp']);

/** Column name of the flag Safe Harbor adds next to a birth year: true for patients aged 90 or older. */
export const AGE_90_OR_OLDER_COLUMN = 'age_90_or_older';

/** Column that carries the random study id in place of the patient column under Safe Harbor. */
export const STUDY_ID_COLUMN = 'study_id';

/**
 * Decides the treatment of every column of a dataset under a profile, and checks the profile
 * against the dataset first so that all mistakes are reported together.
 */
export function planColumns(dataset: DatasetDefinition, profile: DeidProfile): PlannedColumn[] {
  const issues = checkProfileAgainstDataset(dataset, profile);
  if (issues.length > 0) {
    throw new DeidProfileError(
      `de-identification profile does not fit dataset ${dataset.table} (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
      issues,
    );
  }
  return Object.entries(dataset.columns).map(([name, column]) =>
    profile.method === 'safe-harbor' ? planSafeHarbor(name, column, profile) : planLimited(name, column, profile),
  );
}

/** Returns whether a column is free text: a string classified `phi` without an identifier kind, such as a note or a reason. */
export function isFreeText(column: ColumnDefinition): boolean {
  return column.type === 'string' && column.classification === 'phi' && column.identifier === undefined;
}

function planSafeHarbor(name: string, column: ColumnDefinition, profile: DeidProfile): PlannedColumn {
  const identifier = column.identifier;
  const planned = (treatment: ColumnTreatment, outputs: OutputColumn[], reason: string): PlannedColumn => ({
    column: name,
    identifier,
    treatment,
    outputs,
    reason,
  });

  if (name === profile.patientColumn) {
    return planned('study-id', [{ name: STUDY_ID_COLUMN, type: 'string' }], 'patient replaced by a random study id');
  }
  if (profile.ageColumns.includes(name)) return planned('age-cap', [{ name, type: column.type }], 'ages over 89 grouped as 90');
  // Every date and timestamp is cut to its year, not only those marked as identifiers, because
  // times such as ingested_at follow the patient's visits closely.
  if (identifier === 'date' || DATE_TYPES.has(column.type)) {
    if (name === profile.birthDateColumn) {
      return planned(
        'birth-year',
        [
          { name: `${name}_year`, type: 'int' },
          { name: AGE_90_OR_OLDER_COLUMN, type: 'boolean' },
        ],
        'reduced to the year; the year is removed for ages 90 or older',
      );
    }
    return planned('year', [{ name: `${name}_year`, type: 'int' }], 'date reduced to the year');
  }
  if (identifier === 'geographic') {
    if (profile.postalCodeColumns.includes(name)) {
      return planned('zip3', [{ name: `${name}_zip3`, type: 'string' }], 'ZIP code cut to three digits, 000 in small areas');
    }
    return planned('redact', [], 'geographic subdivision smaller than a state');
  }
  if (identifier === 'quasi') return planned('keep', [{ name, type: column.type }], 'quasi-identifier, counted in the risk check');
  if (identifier !== undefined) return planned('redact', [], `Safe Harbor identifier (${identifier})`);
  if (isFreeText(column)) return planFreeText(name, column, profile);
  // NOTE: public columns are kept as the dataset classifies them. A public string that embeds a
  // date or a place, such as a landing key with the day in its path, passes through.
  if (column.classification === undefined || column.classification === 'public' || column.classification === 'deidentified') {
    return planned('keep', [{ name, type: column.type }], `classified ${column.classification ?? 'with the table'}`);
  }
  if (profile.keep.includes(name)) return planned('keep', [{ name, type: column.type }], 'kept by the profile');
  return planned('redact', [], `classified ${column.classification} and not listed under keep`);
}

function planLimited(name: string, column: ColumnDefinition, profile: DeidProfile): PlannedColumn {
  const identifier = column.identifier;
  const action = profile.columns[name];
  if (action !== undefined) return planAction(name, column, action, 'set by the profile');

  if (profile.ageColumns.includes(name)) {
    return { column: name, identifier, treatment: 'age-cap', outputs: [{ name, type: column.type }], reason: 'ages over 89 grouped as 90' };
  }
  if (name === profile.patientColumn) return planAction(name, column, { action: 'pseudonymize' }, 'patient column, pseudonymized for joins');
  // Every date and timestamp moves, not only those marked as identifiers, because an unshifted
  // time such as ingested_at would give away the offset of the patient's shifted dates.
  if (identifier === 'date' || DATE_TYPES.has(column.type)) {
    return planAction(name, column, { action: 'shift-date' }, 'date shifted per patient by default');
  }
  if (identifier === 'quasi') return planAction(name, column, { action: 'keep' }, 'quasi-identifier, counted in the risk check');
  if (identifier === 'other_unique') return planAction(name, column, { action: 'pseudonymize' }, 'unique code, pseudonymized by default');
  if (identifier !== undefined) return planAction(name, column, { action: 'redact' }, `identifier (${identifier}) not listed under columns`);
  if (isFreeText(column)) return planFreeText(name, column, profile);
  if (column.classification === 'phi') return planAction(name, column, { action: 'redact' }, 'classified phi and not listed under columns');
  return planAction(name, column, { action: 'keep' }, `classified ${column.classification ?? 'with the table'}`);
}

function planAction(name: string, column: ColumnDefinition, action: ColumnAction, reason: string): PlannedColumn {
  const base = { column: name, identifier: column.identifier, reason };
  switch (action.action) {
    case 'keep':
      return { ...base, treatment: 'keep', outputs: [{ name, type: column.type }] };
    case 'redact':
      return { ...base, treatment: 'redact', outputs: [] };
    case 'pseudonymize':
      return { ...base, treatment: 'pseudonymize', outputs: [{ name, type: 'string' }] };
    case 'shift-date':
      return { ...base, treatment: 'shift-date', outputs: [{ name, type: column.type }] };
    case 'generalize':
      if (action.to === 'zip3') return { ...base, treatment: 'zip3', outputs: [{ name: `${name}_zip3`, type: 'string' }] };
      if (action.to === 'year') return { ...base, treatment: 'year', outputs: [{ name: `${name}_year`, type: 'int' }] };
      return { ...base, treatment: 'month', outputs: [{ name: `${name}_month`, type: 'string' }] };
  }
}

function planFreeText(name: string, column: ColumnDefinition, profile: DeidProfile): PlannedColumn {
  if (profile.freeText.detect) {
    return {
      column: name,
      identifier: column.identifier,
      treatment: 'scrub-text',
      outputs: [{ name, type: 'string' }],
      reason: 'free text with obvious identifiers replaced',
    };
  }
  return { column: name, identifier: column.identifier, treatment: 'redact', outputs: [], reason: 'free text, removed by default' };
}

/** Lists every way the profile does not fit the dataset: unknown columns, actions of the wrong type, kept direct identifiers. */
export function checkProfileAgainstDataset(dataset: DatasetDefinition, profile: DeidProfile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const columns = dataset.columns;
  const requireColumn = (keyPath: string, name: string): ColumnDefinition | undefined => {
    const column = columns[name];
    if (column === undefined) issues.push({ keyPath, message: `column "${name}" is not declared in dataset ${dataset.table}` });
    return column;
  };

  profile.postalCodeColumns.forEach((name, index) => {
    const column = columns[name];
    if (column !== undefined && column.type !== 'string') {
      issues.push({ keyPath: `postalCodeColumns[${index}]`, message: `column "${name}" is ${column.type}, but a ZIP code column must be string` });
    }
  });
  profile.ageColumns.forEach((name, index) => {
    const column = requireColumn(`ageColumns[${index}]`, name);
    if (column !== undefined && column.type !== 'int' && column.type !== 'bigint' && column.type !== 'double') {
      issues.push({ keyPath: `ageColumns[${index}]`, message: `column "${name}" is ${column.type}, but an age column must be numeric` });
    }
  });
  profile.keep.forEach((name, index) => {
    const column = requireColumn(`keep[${index}]`, name);
    if (column?.identifier !== undefined) {
      issues.push({
        keyPath: `keep[${index}]`,
        message: `column "${name}" carries identifier kind ${column.identifier}, but keep applies only to columns without one`,
      });
    }
  });
  for (const [name, action] of Object.entries(profile.columns)) {
    const column = requireColumn(`columns.${name}`, name);
    if (column !== undefined) issues.push(...checkAction(name, column, action, profile));
  }
  return issues;
}

function checkAction(name: string, column: ColumnDefinition, action: ColumnAction, profile: DeidProfile): ConfigIssue[] {
  const keyPath = `columns.${name}.action`;
  const needsDate = action.action === 'shift-date' || (action.action === 'generalize' && action.to !== 'zip3');
  if (needsDate && !DATE_TYPES.has(column.type)) {
    return [{ keyPath, message: `column "${name}" is ${column.type}, but ${describeAction(action)} needs a date or timestamp column` }];
  }
  if (action.action === 'generalize' && action.to === 'zip3' && column.type !== 'string') {
    return [{ keyPath, message: `column "${name}" is ${column.type}, but generalize to zip3 needs a string column` }];
  }
  if (action.action === 'keep' && column.identifier !== undefined && LIMITED_DATA_SET_EXCLUDED.has(column.identifier)) {
    return [
      {
        keyPath,
        message: `column "${name}" carries identifier kind ${column.identifier}, which a limited data set must remove. Use redact or pseudonymize instead`,
      },
    ];
  }
  if (action.action === 'shift-date' && name === profile.patientColumn) {
    return [{ keyPath, message: `column "${name}" is the patient column, and shift-date applies only to dates` }];
  }
  return [];
}

function describeAction(action: ColumnAction): string {
  return action.action === 'generalize' ? `generalize to ${action.to}` : action.action;
}
