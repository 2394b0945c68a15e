export * from './object-store';
export * from './errors';
export * from './codec';
export * from './key-provider';
export * from './object-key';
export * from './object-tags';
export * from './local/local-object-store';
export * from './s3/s3-object-store';
