'use strict';

const { mulberry32, randomInt } = require('../lib/random');

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz';
/** Longest NTE comment generated, so that a message reaches its size in a few segments. */
const MAX_NOTE_CHARS = 400;

/**
 * Generates synthetic HL7 v2 ADT^A08 messages of `minBytes` to `maxBytes` (1 to 2 KB by default),
 * from a seed: a header, a PID for one of `patients` made-up patients, then NTE comments of
 * random letters up to the drawn size. No real person's data. Each message also reports its
 * segment count, for checking raw.hl7v2_segments.
 */
function* generateMessages({ count, patients, seed, minBytes = 1024, maxBytes = 2048 }) {
  const random = mulberry32(seed);
  for (let number = 0; number < count; number += 1) {
    const targetBytes = minBytes + randomInt(random, maxBytes - minBytes + 1);
    const segments = [
      `MSH|^~\\&|BENCH|FAC|LAKE|CARELAKE|20260304050607||ADT^A08^ADT_A01|BENCH-${number}|P|2.5.1`,
      'EVN|A08|20260304050607',
      `PID|1||MRN${number % patients}^^^HOSP^MR||BENCHPATIENT^SAM||19800101|U`,
    ];
    let bytes = segments.reduce((sum, segment) => sum + segment.length + 1, 0);
    let note = 1;
    while (bytes < targetBytes) {
      const prefix = `NTE|${note}||`;
      const room = Math.min(MAX_NOTE_CHARS, Math.max(1, targetBytes - bytes - prefix.length - 1));
      let comment = '';
      for (let index = 0; index < room; index += 1)
        comment += LETTERS[randomInt(random, LETTERS.length)];
      segments.push(`${prefix}${comment}`);
      bytes += prefix.length + comment.length + 1;
      note += 1;
    }
    yield { data: Buffer.from(segments.join('\r'), 'utf8'), segments: segments.length };
  }
}

module.exports = { generateMessages };
