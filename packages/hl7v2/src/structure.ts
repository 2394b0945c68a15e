import type { MessageFinding } from './finding';
import type { RequiredHeaderValues } from './header-values';
import type { Hl7Message } from './message';
import { parseHl7FieldPath } from './path';
import type { Hl7Value } from './segment';
import { isKnownSegmentId, isZSegment } from './segment-ids';

const TRIGGER_EVENT = parseHl7FieldPath('9.2');
const MESSAGE_STRUCTURE = parseHl7FieldPath('9.3');

/** HL7 v2 versions MSH-12.1 may name. */
const KNOWN_VERSIONS: ReadonlySet<string> = new Set([
  '2.0',
  '2.1',
  '2.2',
  '2.3',
  '2.3.1',
  '2.4',
  '2.5',
  '2.5.1',
  '2.6',
  '2.7',
  '2.7.1',
  '2.8',
  '2.8.1',
  '2.8.2',
  '2.9',
  '2.9.1',
]);

interface MessageStructure {
  /** Segments that must be present, in the order they must first appear. */
  required: readonly string[];
  /** Every segment the structure may contain, in any version. */
  allowed: ReadonlySet<string>;
}

function structure(required: string, allowed: string): MessageStructure {
  return { required: required.split(' '), allowed: new Set(allowed.split(' ')) };
}

const ADT_STRUCTURE = structure(
  'MSH EVN PID PV1',
  'MSH ARV SFT UAC EVN PID PD1 GSP GSR GSC OH1 OH2 OH3 OH4 ROL PRT NK1 PV1 PV2 DB1 OBX AL1 ' +
    'IAM DG1 DRG PR1 GT1 IN1 IN2 IN3 AUT RF1 ACC UB1 UB2 PDA',
);

/**
 * The message structures checked, each the union of its segments over versions 2.3 to 2.9, so
 * that a segment draws `unexpected-segment` only when no version allows it there.
 * NOTE: only these structures are checked. ADT_A03 and ADT_A05 are checked against the ADT_A01
 * segment list, which contains theirs, so a segment only ADT_A01 allows passes unnoticed there.
 */
const STRUCTURES: Readonly<Record<string, MessageStructure>> = {
  ADT_A01: ADT_STRUCTURE,
  ADT_A03: ADT_STRUCTURE,
  ADT_A05: ADT_STRUCTURE,
  ORU_R01: structure(
    'MSH OBR',
    'MSH ARV SFT UAC PID PD1 GSP GSR GSC PRT OH1 OH2 OH3 OH4 NTE NK1 OBX PV1 PV2 IN1 IN2 IN3 ' +
      'ORC TXA OBR DEV TQ1 TQ2 CTD FT1 CTI SPM DSC',
  ),
  ORM_O01: structure(
    'MSH ORC',
    'MSH SFT UAC NTE PID PD1 PV1 PV2 IN1 IN2 IN3 GT1 AL1 ORC TQ1 TQ2 OBR RQD RQ1 RXO ODS ODT ' +
      'CTD DG1 OBX FT1 CTI BLG',
  ),
  VXU_V04: structure(
    'MSH PID',
    'MSH ARV SFT UAC PID PD1 GSP GSR GSC PRT NK1 PV1 PV2 GT1 IN1 IN2 IN3 OBX NTE ORC TQ1 TQ2 ' +
      'RXA RXR',
  ),
  MDM_T02: structure(
    'MSH EVN PID PV1 TXA OBX',
    'MSH SFT UAC EVN PID GSP GSR GSC PRT PV1 ORC TQ1 TQ2 OBR NTE TXA CON OBX',
  ),
  SIU_S12: structure(
    'MSH SCH RGS',
    'MSH SFT UAC SCH TQ1 NTE PID PD1 GSP GSR GSC PRT PV1 PV2 OBX DG1 RGS AIS AIG AIL AIP',
  ),
  ACK: structure('MSH MSA', 'MSH SFT UAC MSA ERR'),
};

/** Structures of the trigger events that share one, for messages whose MSH-9.3 is empty. */
const STRUCTURE_BY_EVENT: Readonly<Record<string, string>> = {
  ADT_A01: 'ADT_A01',
  ADT_A03: 'ADT_A03',
  ADT_A04: 'ADT_A01',
  ADT_A05: 'ADT_A05',
  ADT_A08: 'ADT_A01',
  ADT_A13: 'ADT_A01',
  ADT_A14: 'ADT_A05',
  ADT_A28: 'ADT_A05',
  ADT_A31: 'ADT_A05',
  ORU_R01: 'ORU_R01',
  ORM_O01: 'ORM_O01',
  VXU_V04: 'VXU_V04',
  MDM_T02: 'MDM_T02',
  MDM_T04: 'MDM_T02',
  MDM_T06: 'MDM_T02',
  MDM_T08: 'MDM_T02',
  MDM_T10: 'MDM_T02',
};

/**
 * Check a message against the structure its MSH-9 names: unknown segment ids, segments the
 * structure does not contain, required segments that are missing or out of order, and an
 * MSH-12 version this parser does not know. Findings are advisory: every segment stays in place.
 */
export function checkMessageStructure(
  message: Hl7Message,
  header: Pick<RequiredHeaderValues, 'messageCode' | 'versionId'>,
): MessageFinding[] {
  const findings: MessageFinding[] = [];
  const version = header.versionId;
  if (version && !KNOWN_VERSIONS.has(version.trim())) {
    findings.push({
      code: 'unknown-version',
      reason: 'MSH-12 names no known HL7 v2 version; the message is parsed generically',
      segmentIndex: 0,
      field: 'MSH-12',
    });
  }

  message.segments.forEach((segment, index) => {
    if (isKnownSegmentId(segment.id)) return;
    findings.push({
      code: 'unknown-segment',
      reason: `segment ${index} has the id ${segment.id}, which is neither an HL7 v2 segment nor a Z segment; it is kept as read`,
      segmentIndex: index,
    });
  });

  const name = structureName(message, header.messageCode);
  const expected = name === undefined ? undefined : STRUCTURES[name];
  if (name === undefined || expected === undefined) return findings;

  message.segments.forEach((segment, index) => {
    if (expected.allowed.has(segment.id) || isZSegment(segment.id)) return;
    if (!isKnownSegmentId(segment.id)) return;
    findings.push({
      code: 'unexpected-segment',
      reason: `${segment.id} (segment ${index}) is not part of the ${name} message structure; it is kept as read`,
      segmentIndex: index,
    });
  });

  let previous: { id: string; index: number } | undefined;
  for (const id of expected.required) {
    const index = message.segments.findIndex((segment) => segment.id === id);
    if (index < 0) {
      findings.push({
        code: 'missing-segment',
        reason: `the ${name} message structure requires the ${id} segment, which is missing`,
        segmentIndex: undefined,
      });
      continue;
    }
    if (previous !== undefined && index < previous.index) {
      findings.push({
        code: 'segment-out-of-order',
        reason: `${id} (segment ${index}) comes before ${previous.id} (segment ${previous.index}), which the ${name} message structure puts first`,
        segmentIndex: index,
      });
    }
    previous = { id, index };
  }
  return findings;
}

/**
 * Find the message structure: MSH-9.3 when present, else the one MSH-9.1 and MSH-9.2 imply.
 * Returns undefined when it is not one of `STRUCTURES`.
 */
function structureName(message: Hl7Message, messageCode: Hl7Value): string | undefined {
  const declared = message.header.valueAt(MESSAGE_STRUCTURE)?.trim();
  if (declared) return STRUCTURES[declared] === undefined ? undefined : declared;
  const code = messageCode?.trim();
  if (code === 'ACK') return 'ACK';
  const event = message.header.valueAt(TRIGGER_EVENT)?.trim();
  return code && event ? STRUCTURE_BY_EVENT[`${code}_${event}`] : undefined;
}
