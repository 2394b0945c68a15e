// Real: the free-text detector on synthetic notes. Nothing is faked; the notes and people are invented.
import { detectTextIdentifiers, scrubText } from './text-detector';

const RECORD = { names: ['Brennagh', 'Orla'], recordNumbers: ['Q7731'] };

describe('detectTextIdentifiers catches', () => {
  it.each([
    { case: 'family name of the record', text: 'Seen Ms Brennagh today.', kind: 'name', found: 'Brennagh' },
    { case: 'name in other case', text: 'ORLA reports less pain.', kind: 'name', found: 'ORLA' },
    { case: 'record number of the record', text: 'Chart Q7731 reviewed.', kind: 'record_number', found: 'Q7731' },
    { case: 'labelled MRN', text: 'Old MRN: 55-10293 merged.', kind: 'record_number', found: 'MRN: 55-10293' },
    { case: 'phone with brackets', text: 'Call (617) 555-0142 after 5.', kind: 'phone', found: '(617) 555-0142' },
    { case: 'phone with dots', text: 'Daughter at 617.555.0199.', kind: 'phone', found: '617.555.0199' },
    { case: 'e-mail address', text: 'Send to o.b@example.org please', kind: 'email', found: 'o.b@example.org' },
    { case: 'SSN', text: 'SSN 078-05-1120 on file', kind: 'ssn', found: '078-05-1120' },
    { case: 'ISO date', text: 'Admitted 2025-01-05 via ED', kind: 'date', found: '2025-01-05' },
    { case: 'US date', text: 'Follow up 3/14/2025.', kind: 'date', found: '3/14/2025' },
    { case: 'month name date', text: 'Surgery on March 3rd, 2024 went well', kind: 'date', found: 'March 3rd, 2024' },
  ])('$case', ({ text, kind, found }) => {
    const detections = detectTextIdentifiers(text, RECORD);

    expect(detections).toHaveLength(1);
    expect(detections[0]?.kind).toBe(kind);
    expect(text.slice(detections[0]?.start, detections[0]?.end)).toBe(found);
  });
});

describe('detectTextIdentifiers misses', () => {
  // These stay in the text: the reason free text is removed unless a steward switches detection on.
  it.each([
    { case: 'name not in the record', text: 'Husband Declan drove her home.' },
    { case: 'clinician surname', text: 'Discussed with Dr. Adeyemi.' },
    { case: 'street address', text: 'Lives at 14 Quarry Lane alone.' },
    { case: 'date in words', text: 'Born on the fifth of May.' },
    { case: 'month and year only', text: 'Symptoms since March 2024.' },
    { case: 'unlabelled record number', text: 'See chart 55-10293.' },
    { case: 'name split by a line break', text: 'Bren-\nnagh signed the form.' },
  ])('$case', ({ text }) => {
    expect(detectTextIdentifiers(text, RECORD)).toEqual([]);
  });
});

describe('scrubText', () => {
  it('replaces each detection with its kind', () => {
    const result = scrubText('Orla Brennagh (Q7731) called 617-555-0142 on 2025-01-05.', RECORD);

    expect(result.text).toBe('[NAME] [NAME] ([RECORD_NUMBER]) called [PHONE] on [DATE].');
    expect(result.detections).toHaveLength(5);
  });

  it('merges overlapping detections', () => {
    const result = scrubText('MRN Q7731 noted', RECORD);

    expect(result.text).toBe('[RECORD_NUMBER] noted');
  });
});
