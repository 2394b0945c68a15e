import type { Hl7Segment } from '../segment';
import { cleanText, type MessageMapping } from './mapping-context';
import { observationValueNumber, observationValueText } from './observation-values';
import { patientKeyOf } from './patient-rows';
import type { ClinicalObservationRow } from './rows';

/**
 * Map each OBX to a clinical.observations row. An OBX belongs to the PID and OBR before it in the
 * message, which is how ORU_R01 and VXU_V04 group observations under patients and orders.
 */
export function mapObservationRows(mapping: MessageMapping): ClinicalObservationRow[] {
  const rows: ClinicalObservationRow[] = [];
  let patientKey: string | null = null;
  let orderTime: Date | null = null;
  let obxIndex = 0;

  for (const segment of mapping.message.segments) {
    if (segment.id === 'PID') patientKey = patientKeyOf(segment, mapping)?.key ?? null;
    if (segment.id === 'OBR') orderTime = mapping.readTimestamp(segment, 7);
    if (segment.id !== 'OBX') continue;
    obxIndex += 1;
    rows.push(mapObservation(mapping, segment, obxIndex, patientKey, orderTime));
  }
  return rows;
}

function mapObservation(
  mapping: MessageMapping,
  obx: Hl7Segment,
  obxIndex: number,
  patientKey: string | null,
  orderTime: Date | null,
): ClinicalObservationRow {
  const { facts } = mapping;
  const valueType = cleanText(obx.get('2'));
  // OBX-14, else OBR-7 of the order the OBX belongs to, else MSH-7.
  const effectiveTime = mapping.readTimestamp(obx, 14) ?? orderTime ?? facts.eventTime;

  let valueNumber = observationValueNumber(valueType, obx);
  if (valueNumber === 'invalid') {
    mapping.warn(
      'invalid-number',
      `OBX-5 of ${obx.label} is not a number although OBX-2 is ${valueType}; value_number is null`,
      obx,
      5,
    );
    valueNumber = null;
  }

  return {
    observation_key: `hl7v2:${facts.sendingApplication ?? ''}^${facts.sendingFacility ?? ''}:${controlIdOrHash(mapping)}:${obxIndex}`,
    patient_key: patientKey,
    code: cleanText(obx.get('3.1')),
    code_system: cleanText(obx.get('3.3')),
    code_display: cleanText(obx.get('3.2')),
    value_type: valueType,
    value_text: observationValueText(obx),
    value_number: valueNumber,
    unit: cleanText(obx.get('6.1')),
    reference_range: cleanText(obx.get('7')),
    interpretation: cleanText(obx.get('8')),
    status: cleanText(obx.get('11')),
    effective_time: effectiveTime,
    effective_month: effectiveTime === null ? 'unknown' : effectiveTime.toISOString().slice(0, 7),
    is_deleted: false,
    event_time: facts.eventTime,
    record_hash: mapping.recordHash({ obx_index: obxIndex }),
    ...mapping.lineage,
  };
}

/**
 * MSH-10, or `sha256-<message hash>` when it is empty, so that observations of different
 * messages without a control id never share a key.
 */
function controlIdOrHash(mapping: MessageMapping): string {
  return mapping.facts.controlId ?? `sha256-${mapping.facts.messageHash}`;
}
