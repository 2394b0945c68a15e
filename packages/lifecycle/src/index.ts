export * from './errors';
export * from './storage-classes';
export * from './policy-file';
export * from './resolve-policy';
export * from './validate';
export * from './legal-holds';
export * from './s3-rules';
export * from './bucket-lifecycle';
