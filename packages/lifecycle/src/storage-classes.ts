/**
 * S3 storage classes a lifecycle rule may move objects to, and the rules S3 applies to them.
 * Sources: the S3 user guide pages "Transitioning objects using Amazon S3 Lifecycle"
 * (lifecycle-transition-general-considerations) and the API reference of `Transition`.
 */
export const TRANSITION_STORAGE_CLASSES = [
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ONEZONE_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;
export type TransitionStorageClassName = (typeof TRANSITION_STORAGE_CLASSES)[number];
export type StorageClassName = 'STANDARD' | TransitionStorageClassName;

/**
 * Days S3 charges for at least, even when an object is deleted or moved on earlier.
 * INTELLIGENT_TIERING has none.
 */
export const MINIMUM_STORAGE_DAYS: Record<StorageClassName, number> = {
  STANDARD: 0,
  STANDARD_IA: 30,
  INTELLIGENT_TIERING: 0,
  ONEZONE_IA: 30,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

/** Classes a transition into needs the object to be at least 30 days old (the `Transition` API rule). */
export const INFREQUENT_ACCESS_CLASSES: ReadonlySet<StorageClassName> = new Set(['STANDARD_IA', 'ONEZONE_IA']);
export const INFREQUENT_ACCESS_MINIMUM_DAYS = 30;

/**
 * The waterfall of allowed transitions: a rule moves objects only down this graph, never back to
 * STANDARD, never from INTELLIGENT_TIERING to STANDARD_IA, and never from ONEZONE_IA to
 * INTELLIGENT_TIERING, STANDARD_IA or GLACIER_IR.
 */
export const ALLOWED_TRANSITIONS: Record<StorageClassName, readonly TransitionStorageClassName[]> = {
  STANDARD: TRANSITION_STORAGE_CLASSES,
  STANDARD_IA: ['INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  INTELLIGENT_TIERING: ['ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  ONEZONE_IA: ['GLACIER', 'DEEP_ARCHIVE'],
  GLACIER_IR: ['GLACIER', 'DEEP_ARCHIVE'],
  GLACIER: ['DEEP_ARCHIVE'],
  DEEP_ARCHIVE: [],
};

/**
 * Objects smaller than this are not transitioned to any class by lifecycle configurations that
 * keep the default `TransitionDefaultMinimumObjectSize` of `all_storage_classes_128K`, the default
 * since September 2024.
 */
export const DEFAULT_TRANSITION_MINIMUM_OBJECT_BYTES = 128 * 1024;
