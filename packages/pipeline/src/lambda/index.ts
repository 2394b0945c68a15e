export * from './runner-environment';
export * from './runner-inputs';
export * from './scheduled-run-handler';
