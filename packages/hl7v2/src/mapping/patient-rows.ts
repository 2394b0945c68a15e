import type { Hl7Segment } from '../segment';
import { cleanText, type MessageMapping } from './mapping-context';
import type { ClinicalPatientRow } from './rows';

/**
 * Build the patient key of a PID: `hl7v2:<authority>:<PID-3.1>` from the first PID-3 repetition, where
 * the authority is PID-3.4 (its namespace id, else its universal id) or, when PID-3.4 is empty,
 * MSH-4.1. Undefined when PID-3.1 is empty.
 */
export function patientKeyOf(
  pid: Hl7Segment,
  mapping: MessageMapping,
): { key: string; id: string; authority: string | null } | undefined {
  const id = cleanText(pid.get('3[1].1'));
  if (id === null) return undefined;
  const authority = cleanText(pid.get('3[1].4.1')) ?? cleanText(pid.get('3[1].4.2'));
  return { key: `hl7v2:${authority ?? mapping.facts.sendingFacility ?? ''}:${id}`, id, authority };
}

/** Map each PID segment that has a patient id in PID-3.1 to a clinical.patients row. */
export function mapPatientRows(mapping: MessageMapping): ClinicalPatientRow[] {
  const rows: ClinicalPatientRow[] = [];
  for (const pid of mapping.message.segmentsById('PID')) {
    const patient = patientKeyOf(pid, mapping);
    if (!patient) continue;
    rows.push({
      patient_key: patient.key,
      patient_id: patient.id,
      assigning_authority: patient.authority,
      family_name: cleanText(pid.get('5[1].1.1')),
      given_name: cleanText(pid.get('5[1].2')),
      birth_date: mapping.readDate(pid, 7),
      sex: cleanText(pid.get('8')),
      city: cleanText(pid.get('11[1].3')),
      state: cleanText(pid.get('11[1].4')),
      postal_code: cleanText(pid.get('11[1].5')),
      country: cleanText(pid.get('11[1].6')),
      is_deleted: false,
      event_time: mapping.facts.eventTime,
      record_hash: mapping.recordHash({ pid_segment_index: pid.index }),
      ...mapping.lineage,
    });
  }
  return rows;
}
