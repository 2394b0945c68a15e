'use strict';

/** Creates a mulberry32 generator, a 32-bit seeded PRNG returning floats in [0, 1). */
function mulberry32(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns an integer in [0, maxExclusive) from a generator made by `mulberry32`. */
function randomInt(random, maxExclusive) {
  return Math.floor(random() * maxExclusive);
}

module.exports = { mulberry32, randomInt };
