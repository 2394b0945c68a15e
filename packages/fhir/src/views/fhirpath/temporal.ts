/**
 * FHIR date, dateTime, instant and time values as FHIRPath compares them: partial
 * values keep their precision, and two values whose precisions differ are equal or
 * ordered only when a common component already differs.
 */
export interface PartialTime {
  /** Date and time components, most significant first: year, month, day, hour, minute, milliseconds of the minute. */
  components: number[];
  /** Offset from UTC in minutes, when the text has a time zone. */
  offsetMinutes: number | undefined;
  /** True for a time of day without a date (`14:30:00`). */
  timeOnly: boolean;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?)?)?(?:T)?(Z|[+-]\d{2}:\d{2})?$/;
const TIME_OF_DAY = /^(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/** Parse FHIR or FHIRPath date and time text; undefined when it is neither. */
export function parsePartialTime(text: string): PartialTime | undefined {
  const time = TIME_OF_DAY.exec(text);
  if (time) {
    return {
      components: timeComponents(time.slice(1, 5)),
      offsetMinutes: undefined,
      timeOnly: true,
    };
  }
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const components = [Number(match[1])];
  for (const part of [match[2], match[3]]) {
    if (part === undefined) break;
    components.push(Number(part));
  }
  if (components.length === 3 && match[4] !== undefined)
    components.push(...timeComponents(match.slice(4, 8)));
  const zone = match[8];
  return {
    components,
    offsetMinutes: zone === undefined ? undefined : parseOffset(zone),
    timeOnly: false,
  };
}

/** Hour, minute, then seconds and milliseconds as one component, as FHIRPath treats them. */
function timeComponents(parts: Array<string | undefined>): number[] {
  const [hour, minute, second, fraction] = parts;
  const components = [Number(hour)];
  if (minute === undefined) return components;
  components.push(Number(minute));
  if (second === undefined) return components;
  const milliseconds = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  components.push(Number(second) * 1000 + milliseconds);
  return components;
}

function parseOffset(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

/**
 * Compare two date or time values: negative, zero or positive, or undefined when
 * their precisions differ and the components they share are equal.
 */
export function comparePartialTimes(left: PartialTime, right: PartialTime): number | undefined {
  if (left.timeOnly !== right.timeOnly) return undefined;
  const a = toUtc(left);
  const b = toUtc(right);
  const shared = Math.min(a.length, b.length);
  for (let index = 0; index < shared; index++) {
    const difference = (a[index] as number) - (b[index] as number);
    if (difference !== 0) return difference;
  }
  return a.length === b.length ? 0 : undefined;
}

/**
 * Shift a value with a time zone and an hour to UTC, so that `10:00+02:00` equals `08:00Z`.
 * NOTE: a dateTime with an hour but no time zone is compared as if it were UTC; FHIRPath
 * leaves that case to the implementation.
 */
function toUtc(value: PartialTime): number[] {
  const { components, offsetMinutes } = value;
  if (value.timeOnly || offsetMinutes === undefined || offsetMinutes === 0 || components.length < 4)
    return components;
  const [year, month, day, hour, minute = 0, milliseconds = 0] = components as [
    number,
    number,
    number,
    number,
    number?,
    number?,
  ];
  const utc = new Date(
    Date.UTC(year, month - 1, day, hour, minute, 0, milliseconds) - offsetMinutes * 60_000,
  );
  const shifted = [
    utc.getUTCFullYear(),
    utc.getUTCMonth() + 1,
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds() * 1000 + utc.getUTCMilliseconds(),
  ];
  return shifted.slice(0, components.length);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
