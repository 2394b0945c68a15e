import { strftimeFormatSql } from './mysql-format';
import type { TrinoMacro } from './trino-macro';

const TRINO_UNITS = [
  'millisecond',
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
];
const DATE_UNITS = ['day', 'week', 'month', 'quarter', 'year'];

/** Build the DuckDB INTERVAL of one `unit` of Trino's date_add, or an error naming the valid units. */
function unitIntervalSql(unit: string): string {
  const intervals = TRINO_UNITS.map((name) => {
    const interval = name === 'quarter' ? 'INTERVAL 3 MONTH' : `INTERVAL 1 ${name.toUpperCase()}`;
    return `WHEN '${name}' THEN ${interval}`;
  });
  return `(CASE lower(${unit}) ${intervals.join(' ')} ELSE error('date_add: the unit must be one of ${TRINO_UNITS.join(', ')}') END)`;
}

const dateUnitCheck = (unit: string, body: string): string =>
  `CASE WHEN lower(${unit}) IN (${DATE_UNITS.map((name) => `'${name}'`).join(', ')}) THEN ${body} ` +
  `ELSE error('date_add: a DATE takes the units ${DATE_UNITS.join(', ')}') END`;

/**
 * Trino's date and time functions. Where DuckDB has a function of the same
 * name and arity with another meaning (date_diff, date_trunc on a DATE),
 * the macro takes Trino's; DuckDB's own forms of other arities still work.
 */
export const DATETIME_MACROS: readonly TrinoMacro[] = [
  {
    name: 'date_add',
    overloads: [
      // DuckDB's own date_add(date, interval), which this macro would otherwise hide.
      '(value, duration) AS value + duration',
      `(unit, amount, value DATE) AS ${dateUnitCheck('unit', `CAST(value + amount * ${unitIntervalSql('unit')} AS DATE)`)}`,
      `(unit, amount, value TIMESTAMP) AS value + amount * ${unitIntervalSql('unit')}`,
      `(unit, amount, value TIMESTAMPTZ) AS value + amount * ${unitIntervalSql('unit')}`,
    ],
  },
  {
    // Trino counts whole units elapsed, as DuckDB's date_sub does; DuckDB's
    // date_diff counts unit boundaries crossed, and remains as datediff.
    name: 'date_diff',
    overloads: ['(unit, first, second) AS date_sub(unit, first, second)'],
  },
  {
    name: 'date_trunc',
    overloads: [
      '(unit, value DATE) AS CAST(system.main.date_trunc(unit, value) AS DATE)',
      '(unit, value) AS system.main.date_trunc(unit, value)',
    ],
  },
  {
    name: 'date_format',
    overloads: [`(value, format) AS strftime(value, ${strftimeFormatSql('format')})`],
  },
  { name: 'from_iso8601_timestamp', overloads: ['(text) AS CAST(text AS TIMESTAMPTZ)'] },
  { name: 'from_iso8601_date', overloads: ['(text) AS CAST(text AS DATE)'] },
  {
    // Athena reads Parquet timestamps as timestamp(3), so milliseconds, as Trino prints them.
    name: 'to_iso8601',
    overloads: [
      "(value DATE) AS strftime(value, '%Y-%m-%d')",
      "(value TIMESTAMP) AS strftime(value, '%Y-%m-%dT%H:%M:%S.%g')",
      // The engine's session time zone is UTC, so Trino's suffix is Z.
      "(value TIMESTAMPTZ) AS strftime(value, '%Y-%m-%dT%H:%M:%S.%gZ')",
    ],
  },
  { name: 'from_unixtime', overloads: ['(seconds) AS to_timestamp(seconds)'] },
  { name: 'to_unixtime', overloads: ['(value) AS epoch(value)'] },
  { name: 'with_timezone', overloads: ['(value, zone) AS timezone(zone, value)'] },
  { name: 'date', overloads: ['(value) AS CAST(value AS DATE)'] },
  { name: 'day_of_week', overloads: ['(value) AS isodow(value)'] },
  { name: 'dow', overloads: ['(value) AS isodow(value)'] },
  { name: 'day_of_month', overloads: ['(value) AS dayofmonth(value)'] },
  { name: 'day_of_year', overloads: ['(value) AS dayofyear(value)'] },
  { name: 'doy', overloads: ['(value) AS dayofyear(value)'] },
  { name: 'week_of_year', overloads: ['(value) AS weekofyear(value)'] },
  { name: 'year_of_week', overloads: ['(value) AS isoyear(value)'] },
  { name: 'yow', overloads: ['(value) AS isoyear(value)'] },
  { name: 'last_day_of_month', overloads: ['(value) AS last_day(value)'] },
];
