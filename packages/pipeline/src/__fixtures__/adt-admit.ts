/** Builds a synthetic ADT^A01 admit for one patient, at a fixed event time. */
export function admit(controlId: string, patientId: string): string {
  return [
    `MSH|^~\\&|ADT|HOSP|LAKE|CARELAKE|20260101100000+0000||ADT^A01|${controlId}|P|2.5.1`,
    'EVN|A01|20260101100000+0000',
    `PID|1||${patientId}^^^HOSP^MR||Synthetic^Person||19800101|F`,
  ].join('\r');
}
