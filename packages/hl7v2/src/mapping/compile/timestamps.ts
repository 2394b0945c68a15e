import { parseHl7DateTime } from '../../date-time';
import { parseHl7Timestamp } from '../../timestamp';
import type { SenderTimeZone } from '../sender-time-zone';

/**
 * Return the function that converts HL7 timestamp text to a UTC `Date` for a mapping set, or to
 * undefined when the text is not a valid DTM. A value with an offset keeps its offset. A value
 * without one is local time at the sender, so it is taken in `senderTimeZone`. When no zone is
 * configured it is read as UTC, and the caller reports that with the help of `lacksUtcOffset`.
 */
export function timestampConverter(
  senderTimeZone: SenderTimeZone | undefined,
): (text: string) => Date | undefined {
  if (senderTimeZone === undefined) return parseHl7Timestamp;
  return (text) => {
    const parsed = parseHl7DateTime(text);
    return parsed.ok ? senderTimeZone.toUtc(parsed.value) : undefined;
  };
}

/**
 * True when valid DTM text states no UTC offset. A DTM has a sign only where its offset starts,
 * so looking for a sign is enough, and it allocates nothing although it runs for every value.
 */
export function lacksUtcOffset(text: string): boolean {
  return !text.includes('+') && !text.includes('-');
}
