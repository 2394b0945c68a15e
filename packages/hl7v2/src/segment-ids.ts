/**
 * Segment ids that HL7 v2 versions 2.1 to 2.9 define. Z segments are local extensions and are
 * recognised by their first letter.
 * NOTE: the list is kept by hand, so a rarely used standard id may be missing. Such a segment
 * only draws an `unknown-segment` warning and is kept.
 */
export const STANDARD_SEGMENT_IDS: ReadonlySet<string> = new Set(
  (
    'ABS ACC ADD ADJ AFF AIG AIL AIP AIS AL1 APR ARQ ARV AUT BHS BLC BLG BPO BPX BTS BTX BUI ' +
    'CDM CDO CER CM0 CM1 CM2 CNS CON CSP CSR CSS CTD CTI DB1 DEV DG1 DMI DON DRG DSC DSP DST ' +
    'ECD ECR EDU EQL EQP EQU ERQ ERR EVN FAC FHS FT1 FTS GOL GP1 GP2 GSC GSP GSR GT1 IAM IAR ' +
    'IIM ILT IN1 IN2 IN3 INV IPC IPR ISD ITM IVC IVT LAN LCC LCH LDP LOC LRL MFA MFE MFI MRG ' +
    'MSA MSH NCK NDS NK1 NPU NSC NST NTE OBR OBX ODS ODT OH1 OH2 OH3 OH4 OM1 OM2 OM3 OM4 OM5 ' +
    'OM6 OM7 ORC ORG OVR PAC PCE PCR PD1 PDA PDC PEO PES PID PKG PMT PR1 PRA PRB PRC PRD PRT ' +
    'PSG PSH PSL PSS PTH PV1 PV2 PYE QAK QID QPD QRD QRF QRI RCP RDF RDT REL RF1 RFI RGS RMI ' +
    'ROL RQ1 RQD RXA RXC RXD RXE RXG RXO RXR RXV SAC SCD SCH SCP SDD SFT SGH SGT SHP SID SLT ' +
    'SPM SPR STF STZ TCC TCD TQ1 TQ2 TXA UAC UB1 UB2 URD URS VAR VND VTQ'
  ).split(' '),
);

/** True for a local Z segment such as `ZPI`. */
export function isZSegment(id: string): boolean {
  return id.startsWith('Z');
}

/** True for an id the standard defines or a Z segment. */
export function isKnownSegmentId(id: string): boolean {
  return STANDARD_SEGMENT_IDS.has(id) || isZSegment(id);
}

/**
 * Segment ids by their character codes, so that every segment with one id shares one string.
 * Ids are compared and looked up in maps many times per message, which costs less for a string
 * seen before. Only ids of a capital letter and two capitals or digits are kept, so the map
 * contains at most 26 * 36 * 36 of them.
 */
const internedIds = new Map<number, string>();

/** Return `text.slice(start, start + 3)`, the segment id there, as a string shared by every segment with that id. */
export function readSegmentId(text: string, start: number): string {
  const first = text.charCodeAt(start);
  const second = text.charCodeAt(start + 1);
  const third = text.charCodeAt(start + 2);
  if (!isCapital(first) || !isCapitalOrDigit(second) || !isCapitalOrDigit(third)) {
    return text.slice(start, start + 3);
  }
  const key = (first << 16) | (second << 8) | third;
  let id = internedIds.get(key);
  if (id === undefined) {
    id = text.slice(start, start + 3);
    internedIds.set(key, id);
  }
  return id;
}

/** True for the character code of a letter from A to Z. */
export function isCapital(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

/** True for the character code of a letter from A to Z or a digit. */
export function isCapitalOrDigit(code: number): boolean {
  return isCapital(code) || (code >= 0x30 && code <= 0x39);
}
