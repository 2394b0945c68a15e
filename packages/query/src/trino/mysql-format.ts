/**
 * The strftime code for each MySQL format code that Trino's date_format
 * accepts, from the table in Trino's date and time function docs.
 */
export const MYSQL_TO_STRFTIME: Readonly<Record<string, string>> = {
  '%a': '%a',
  '%b': '%b',
  '%c': '%-m',
  '%d': '%d',
  '%e': '%-d',
  '%f': '%f',
  '%H': '%H',
  '%h': '%I',
  '%I': '%I',
  '%i': '%M',
  '%j': '%j',
  '%k': '%-H',
  '%l': '%-I',
  '%M': '%B',
  '%m': '%m',
  '%p': '%p',
  '%r': '%I:%M:%S %p',
  '%S': '%S',
  '%s': '%S',
  '%T': '%H:%M:%S',
  '%v': '%V',
  '%W': '%A',
  '%x': '%G',
  '%Y': '%Y',
  '%y': '%y',
  '%%': '%%',
};

/** MySQL codes that Trino's date_format rejects. */
export const MYSQL_CODES_TRINO_REJECTS: readonly string[] = ['%D', '%U', '%u', '%V', '%w', '%X'];

/**
 * The specifier that replaces a rejected code: one strftime does not know, so
 * that DuckDB fails while binding instead of printing another week or day number.
 * A literal format never gets here, because the construct check rejects it.
 */
const INVALID_STRFTIME_CODE = '%!';

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * Build a DuckDB expression that rewrites the MySQL format string `format` into a
 * strftime format: it splits the string into `%x` codes and literal runs and
 * maps each code. Other `%x` codes become the literal `x`, as in MySQL.
 * DuckDB folds it to a constant when the format is one, which strftime needs,
 * so the expression must not call anything volatile such as error().
 */
export function strftimeFormatSql(format: string): string {
  const rejected = MYSQL_CODES_TRINO_REJECTS.map(quote).join(', ');
  const mapped = Object.entries(MYSQL_TO_STRFTIME)
    .map(([mysql, strftime]) => `WHEN token = ${quote(mysql)} THEN ${quote(strftime)}`)
    .join(' ');
  const code =
    `CASE WHEN token IN (${rejected}) THEN ${quote(INVALID_STRFTIME_CODE)} ${mapped} ` +
    "WHEN starts_with(token, '%') THEN substr(token, 2) ELSE token END";
  return `array_to_string(list_transform(regexp_extract_all(${format}, '%.|[^%]+'), lambda token: ${code}), '')`;
}
