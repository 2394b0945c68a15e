export { AthenaQueryEngine } from './athena-engine';
export type { AthenaInterruptionOptions } from './athena-errors';
export {
  AthenaQueryFailedError,
  AthenaRequestError,
  AthenaResultError,
  AthenaQueryTimeoutError,
  QueryCancelledError,
  QueryTextTooLargeError,
} from './athena-errors';
export { DEFAULT_POLLING } from './athena-options';
export type {
  AthenaPollingOptions,
  AthenaQueryEngineOptions,
  AthenaQueryOptions,
  AthenaResultEncryption,
  Sleep,
} from './athena-options';
export { MAX_QUERY_BYTES } from './start-request';
