/**
 * Transforms object bodies between the plaintext callers see and the bytes a
 * store keeps, such as an encrypting envelope. Both directions are streams, so
 * a codec must not buffer a whole object. `decode(encode(x))` yields the bytes of `x`.
 */
export interface ObjectCodec {
  encode(plain: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  decode(stored: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}

async function* passThrough(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** Stores bodies unchanged. A store whose codec is this one may hand out its files directly. */
export const identityCodec: ObjectCodec = Object.freeze({
  encode: passThrough,
  decode: passThrough,
});
