/** Kinds of obvious identifiers the free-text detector finds. */
export type TextIdentifierKind = 'name' | 'record_number' | 'ssn' | 'phone' | 'email' | 'date';

export interface TextDetection {
  kind: TextIdentifierKind;
  /** 0-based UTF-16 offset of the first character. */
  start: number;
  /** 0-based UTF-16 offset after the last character. */
  end: number;
}

/** Values of the same record that the text may repeat: names, and record numbers such as the MRN. */
export interface RecordIdentifiers {
  names: readonly string[];
  recordNumbers: readonly string[];
}

// Order matters only for equal spans: the first pattern listed wins.
const PATTERNS: ReadonlyArray<{ kind: TextIdentifierKind; pattern: RegExp }> = [
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  { kind: 'ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/g },
  { kind: 'phone', pattern: /(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b/g },
  { kind: 'record_number', pattern: /\b(?:MRN|medical record(?: number| no\.?)?|acct|account(?: number| no\.?)?)\s*[:#]?\s*[A-Z0-9][A-Z0-9-]{3,}\b/gi },
  { kind: 'date', pattern: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b/g },
  { kind: 'date', pattern: /\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g },
  {
    kind: 'date',
    pattern: /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b/gi,
  },
  { kind: 'date', pattern: /\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b/gi },
];

/**
 * Finds obvious identifiers in free text: the names and record numbers of the same record, phone
 * numbers, e-mail addresses, SSNs, labelled record numbers and dates in common numeric and
 * month-name forms. It is a net for the obvious, not a de-identification of notes.
 * NOTE: it misses names that the record does not carry (relatives, clinicians, nicknames),
 * addresses, dates written in words, and identifiers split across lines.
 */
export function detectTextIdentifiers(text: string, record: RecordIdentifiers): TextDetection[] {
  const found: TextDetection[] = [];
  for (const { kind, pattern } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      found.push({ kind, start: match.index, end: match.index + match[0].length });
    }
  }
  found.push(...findValues(text, record.names, 'name'));
  found.push(...findValues(text, record.recordNumbers, 'record_number'));
  return keepOutermost(found);
}

/** Replaces every detection with `[KIND]` and returns the text with the detections it replaced. */
export function scrubText(text: string, record: RecordIdentifiers): { text: string; detections: TextDetection[] } {
  const detections = detectTextIdentifiers(text, record);
  let scrubbed = '';
  let cursor = 0;
  for (const detection of detections) {
    scrubbed += text.slice(cursor, detection.start) + `[${detection.kind.toUpperCase()}]`;
    cursor = detection.end;
  }
  return { text: scrubbed + text.slice(cursor), detections };
}

/** Finds whole-word, case-insensitive occurrences of each value. Values shorter than two characters are skipped as noise. */
function findValues(text: string, values: readonly string[], kind: TextIdentifierKind): TextDetection[] {
  const found: TextDetection[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.length < 2) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(trimmed)}(?![\\p{L}\\p{N}])`, 'giu');
    for (const match of text.matchAll(pattern)) {
      found.push({ kind, start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}

/** Sorts detections and drops any that overlap an earlier, longer one, so replacements never cut each other. */
function keepOutermost(detections: TextDetection[]): TextDetection[] {
  const sorted = [...detections].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TextDetection[] = [];
  for (const detection of sorted) {
    const last = kept[kept.length - 1];
    if (last !== undefined && detection.start < last.end) {
      if (detection.end > last.end) last.end = detection.end;
      continue;
    }
    kept.push({ ...detection });
  }
  return kept;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
