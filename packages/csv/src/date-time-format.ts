/**
 * Date and timestamp formats for CSV columns, such as `YYYY-MM-DD`, `MM/DD/YYYY`, `YYYYMMDD` or
 * `YYYY-MM-DDTHH:mm:ss.SSSZ`. Tokens are case-sensitive:
 *
 * | token | matches |
 * |---|---|
 * | `YYYY` | four-digit year, 0001 to 9999 |
 * | `MM`, `DD` | two-digit month and day |
 * | `HH`, `mm`, `ss` | two-digit hour (00-23), minute and second |
 * | `SSS` | fraction of a second, 1 to 9 digits |
 * | `Z` | UTC offset: `Z`, `+HH:mm`, `+HHmm` or `+HH` |
 *
 * Every other character except a letter, and the letter `T`, must appear as written.
 */

export type DateTimeKind = 'date' | 'timestamp';

export type DateTimeResult = { ok: true; value: Date } | { ok: false; reason: string };

export interface DateTimeFormat {
  readonly source: string;
  parse(text: string): DateTimeResult;
}

type Token = 'YYYY' | 'MM' | 'DD' | 'HH' | 'mm' | 'ss' | 'SSS' | 'Z';

// Longer tokens first, so that `SSS` is not read as three unknown letters.
const TOKENS: readonly Token[] = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss', 'Z'];
const TOKEN_PATTERNS: Record<Token, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  DD: '(\\d{2})',
  HH: '(\\d{2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d{1,9})',
  Z: '([Zz]|[+-]\\d{2}(?::?\\d{2})?)',
};
const TIME_TOKENS: readonly Token[] = ['HH', 'mm', 'ss', 'SSS', 'Z'];
const TOKEN_LIST = 'YYYY, MM, DD, HH, mm, ss, SSS and Z';

export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DD';
export const DEFAULT_TIMESTAMP_FORMAT = 'YYYY-MM-DDTHH:mm:ss';

/** Returns why `format` cannot be used for a column of `kind`, or undefined when it can. */
export function checkDateTimeFormat(format: string, kind: DateTimeKind): string | undefined {
  const tokens = tokenize(format);
  if (typeof tokens === 'string') return tokens;

  const seen = new Set<Token>();
  for (const part of tokens) {
    if (typeof part === 'string') continue;
    if (seen.has(part.token)) return `contains ${part.token} twice`;
    seen.add(part.token);
  }
  const missing = (['YYYY', 'MM', 'DD'] as const).filter((token) => !seen.has(token));
  if (missing.length > 0) return `needs ${missing.join(', ')}; the tokens are ${TOKEN_LIST}`;

  if (kind === 'date') {
    const time = TIME_TOKENS.find((token) => seen.has(token));
    if (time) return `contains ${time}, which a date column cannot hold; declare the column as timestamp`;
    return undefined;
  }
  if (!seen.has('HH') || !seen.has('mm')) return 'needs HH and mm in a timestamp format';
  if (seen.has('SSS') && !seen.has('ss')) return 'has SSS without ss';
  return undefined;
}

/**
 * Compiles a format that `checkDateTimeFormat` accepted. A timestamp format without `Z` also
 * accepts an offset at the end of the value, and a value without one is read as UTC.
 */
export function compileDateTimeFormat(format: string, kind: DateTimeKind): DateTimeFormat {
  const problem = checkDateTimeFormat(format, kind);
  const tokens = tokenize(format);
  if (problem !== undefined || typeof tokens === 'string') {
    throw new Error(`invalid ${kind} format ${JSON.stringify(format)}: ${problem ?? String(tokens)}`);
  }

  const order: Token[] = [];
  let pattern = '';
  for (const part of tokens) {
    if (typeof part === 'string') {
      pattern += escapeRegExp(part);
    } else {
      pattern += TOKEN_PATTERNS[part.token];
      order.push(part.token);
    }
  }
  if (kind === 'timestamp' && !order.includes('Z')) {
    pattern += `${TOKEN_PATTERNS.Z}?`;
    order.push('Z');
  }
  const regex = new RegExp(`^${pattern}$`);

  return {
    source: format,
    parse(text: string): DateTimeResult {
      const match = regex.exec(text);
      if (!match) return { ok: false, reason: `does not match the ${kind} format ${format}` };
      const parts = new Map<Token, string>();
      order.forEach((token, index) => {
        const value = match[index + 1];
        if (value !== undefined) parts.set(token, value);
      });
      return kind === 'date' ? buildDate(parts, format) : buildTimestamp(parts, format);
    },
  };
}

type FormatPart = string | { token: Token };

function tokenize(format: string): FormatPart[] | string {
  if (format.length === 0) return 'is empty';
  const parts: FormatPart[] = [];
  let literal = '';
  let index = 0;
  while (index < format.length) {
    const token = TOKENS.find((candidate) => format.startsWith(candidate, index));
    if (token) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ token });
      index += token.length;
      continue;
    }
    const char = format[index] as string;
    if (char === 'Y') {
      return 'has a year shorter than YYYY, which is not supported because its century would be a guess';
    }
    if (/[A-Za-z]/.test(char) && char !== 'T') {
      return `contains "${char}" at position ${index + 1}, which is not a token; the tokens are ${TOKEN_LIST}, and case matters`;
    }
    literal += char;
    index += 1;
  }
  if (literal) parts.push(literal);
  return parts;
}

/** Returns the reason for an impossible date, naming the format: a day and month swapped are the usual cause. */
function notCalendarDate(format: string): string {
  return `is not a calendar date when read as ${format}`;
}

function buildDate(parts: Map<Token, string>, format: string): DateTimeResult {
  const year = Number(parts.get('YYYY'));
  const month = Number(parts.get('MM'));
  const day = Number(parts.get('DD'));
  if (!isCalendarDate(year, month, day)) return { ok: false, reason: notCalendarDate(format) };
  return { ok: true, value: utcDate(year, month, day, 0, 0, 0, 0) };
}

function buildTimestamp(parts: Map<Token, string>, format: string): DateTimeResult {
  const year = Number(parts.get('YYYY'));
  const month = Number(parts.get('MM'));
  const day = Number(parts.get('DD'));
  if (!isCalendarDate(year, month, day)) return { ok: false, reason: notCalendarDate(format) };

  const hour = Number(parts.get('HH'));
  const minute = Number(parts.get('mm'));
  const second = Number(parts.get('ss') ?? '0');
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: `has an hour, minute or second out of range for the format ${format}` };
  }
  // NOTE: a Date keeps milliseconds only, so fraction digits beyond the third are dropped, not rounded.
  const millisecond = Number((parts.get('SSS') ?? '0').slice(0, 3).padEnd(3, '0'));

  const offsetMinutes = readOffsetMinutes(parts.get('Z'));
  if (offsetMinutes === undefined) return { ok: false, reason: 'has a UTC offset beyond 23:59' };

  const local = utcDate(year, month, day, hour, minute, second, millisecond);
  return { ok: true, value: new Date(local.getTime() - offsetMinutes * 60_000) };
}

/** Returns the offset in minutes east of UTC, 0 when absent, or undefined when out of range. */
function readOffsetMinutes(offset: string | undefined): number | undefined {
  if (offset === undefined || offset === 'Z' || offset === 'z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): Date {
  // Date.UTC maps years 0-99 to 1900-1999, so set the full year separately.
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, millisecond));
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
