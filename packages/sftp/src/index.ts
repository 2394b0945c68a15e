export {
  DEFAULT_KEEPALIVE_COUNT_MAX,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_SFTP_PORT,
  type SftpConnectOptions,
} from './connect-options';
export type { SftpSink, TransferResult } from './download';
export {
  SftpAuthenticationError,
  SftpConnectionError,
  SftpError,
  SftpFileChangedError,
  SftpHostKeyError,
  SftpRemoteError,
  SftpSinkError,
  type HostKeyRejection,
  type SftpErrorTarget,
} from './errors';
export {
  DEFAULT_FETCH_CONCURRENCY,
  fetchAll,
  type DownloadedFile,
  type FailedFile,
  type FetchAllOptions,
  type FetchProgress,
  type FetchSummary,
  type PostActionFailure,
} from './fetch-all';
export { isSshFingerprint, sshFingerprint } from './host-key';
export {
  findHostKeys,
  knownHostsName,
  parseKnownHosts,
  type HostKeysFound,
  type KnownHosts,
  type KnownHostsEntry,
  type SkippedKnownHostsLine,
} from './known-hosts';
export {
  DEFAULT_COMPLETION_MARKER_SUFFIX,
  type SftpFileEntry,
  type SftpListing,
  type SftpListRequest,
} from './listing';
export { startLoopbackSshd, type LoopbackSshd, type LoopbackSshdOptions } from './loopback-sshd';
export type { PostAction } from './post-action';
export {
  findUnsafeNameRule,
  REMOTE_NAME_RULES,
  toSafeName,
  type RejectedRemoteName,
  type RemoteNameRule,
} from './remote-names';
export {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  seededRandom,
  type RandomSource,
  type RetryPolicy,
  type Sleep,
} from './retry';
export {
  connectSftp,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_STABLE_INTERVAL_MS,
  SftpSource,
  type DownloadResult,
  type PostActionResult,
  type SftpSourceOptions,
  type StableListing,
  type StableListOptions,
} from './source';
export {
  selectStableFiles,
  type InstabilityReason,
  type StabilityOptions,
  type UnstableFile,
} from './stability';
export {
  createTerminalProgress,
  formatBytes,
  formatProgressLine,
  type TerminalProgress,
  type TerminalProgressOptions,
} from './terminal-progress';
