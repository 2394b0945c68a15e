export * from './deid-errors';
export * from './profile-file';
export * from './deid-secret';
export * from './table-rows';
export * from './crosswalk-table';
export * from './output-table';
export * from './run-report';
export * from './run-deid-profile';
