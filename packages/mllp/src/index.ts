export {
  ACK_CODES,
  HL7_ERROR_CODES,
  isAcceptCode,
  isCommitAckCode,
  type AckCode,
  type AckCondition,
  type AckError,
  type ApplicationAckCode,
  type CommitAckCode,
  type Hl7ErrorCode,
  type Hl7ErrorLocation,
  type Hl7ErrorSeverity,
} from './ack-codes';
export {
  buildAck,
  FALLBACK_PROCESSING_ID,
  FALLBACK_VERSION_ID,
  formatHl7Timestamp,
  type AckInput,
} from './ack-builder';
export {
  conditionHolds,
  planAcks,
  readAckRequest,
  type AckMode,
  type AckRequest,
  type ApplicationResult,
  type MessageOutcome,
  type PlannedAck,
} from './ack-plan';
export { readAck, type MllpAck } from './ack-reader';
export { MllpClient, type MllpClientOptions, type MllpResponse } from './client';
export {
  CARRIAGE_RETURN,
  DEFAULT_HOST,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_PORT,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  END_BLOCK,
  START_BLOCK,
} from './constants';
export { hashControlId, randomControlId, type ControlIdGenerator } from './control-id';
export { MllpConnectionError, MllpError, MllpProtocolError, MllpTimeoutError } from './errors';
export {
  HEAD_BYTES,
  MllpFrameDecoder,
  type MllpDecodeEvent,
  type MllpFrame,
  type MllpFrameDecoderOptions,
  type MllpFrameIssue,
  type MllpFrameIssueCode,
} from './frame-decoder';
export { encodeMllpFrame } from './frame-encoder';
export type { HandleResult, MllpMessageHandler, MllpReceivedMessage } from './handler';
export { errorCodeForParseProblem, readHeaderSegment } from './inbound-message';
export { MllpListener } from './listener';
export type { MllpListenerOptions } from './listener-options';
export type { MllpClientTlsOptions, MllpListenerTlsOptions, PemSource } from './tls-options';
export { listenerTlsFromFiles } from './tls-files';
export type { MllpTlsFileSettings } from './tls-files';
