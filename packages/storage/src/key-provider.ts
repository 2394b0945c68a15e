/**
 * Wraps and unwraps the data keys that encrypt objects at rest (envelope
 * encryption): a key file readable by its owner locally, KMS on AWS. Stored
 * objects carry only the wrapped data key and `keyId`, never the key itself.
 */
export interface KeyProvider {
  /** Id of the wrapping key, stored beside each wrapped data key so it can be unwrapped later. */
  readonly keyId: string;
  wrapKey(dataKey: Uint8Array): Promise<Uint8Array>;
  unwrapKey(wrapped: Uint8Array): Promise<Uint8Array>;
}
