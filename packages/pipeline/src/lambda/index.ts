export * from './runner-environment';
export * from './runner-inputs';
export * from './scheduled-run-handler';
// The prefix of the audit bucket that a runner mirrors to, which infra/ grants its role.
export { pipelineAuditMirrorPrefix } from '@carelake/audit';
