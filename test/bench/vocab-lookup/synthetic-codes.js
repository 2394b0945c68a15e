'use strict';

// Synthetic code sets shaped like ICD-10-CM and LOINC, and a mix of checks
// against them. No code or name comes from a real release.

const { mulberry32, randomInt } = require('../lib/random');

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTVWXYZ';
const ALPHANUMERICS = '0123456789ABCDEFGHJKLMNPQRSTVWXYZ';
/** Release dates of the synthetic index: codes start in FY2016, retired ones end with FY2023. */
const VALID_FROM = '2015-10-01';
const RETIRED_FROM = '2023-10-01';
/** Checks are dated in 2024, when retired codes are no longer valid. */
const CHECK_YEAR = 2024;

/** Share of the index whose codes are retired, so that retired checks hit many distinct codes. */
const RETIRED_SHARE = 0.03;
/** The mix of checks: 90% known, 5% unknown, 5% retired. */
const MIX = { known: 0.9, unknown: 0.05, retired: 0.05 };

function pick(random, characters) {
  return characters[randomInt(random, characters.length)];
}

/** Returns an ICD-10-CM-shaped code without a dot: a letter, a digit, then 1 to 5 letters or digits. */
function icdLikeCode(random) {
  let code = pick(random, LETTERS) + pick(random, '0123456789') + pick(random, ALPHANUMERICS);
  const extra = randomInt(random, 5);
  for (let i = 0; i < extra; i += 1) code += pick(random, ALPHANUMERICS);
  return code;
}

function withDot(code) {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

function uniqueCodes(count, random, makeCode) {
  const codes = new Set();
  while (codes.size < count) codes.add(makeCode(random));
  return [...codes];
}

/**
 * Builds the CodeRecords of one synthetic system and the codes that are not
 * in it. `loincCheckDigit` comes from the built package, so that LOINC-like
 * codes pass the same check digit as real ones.
 */
function buildCodeSet({ system, codeCount, seed, loincCheckDigit }) {
  const random = mulberry32(seed);
  const makeCode =
    system === 'icd10cm'
      ? icdLikeCode
      : (rng) => {
          const serial = String(1 + randomInt(rng, 999_999));
          return `${serial}-${loincCheckDigit(serial)}`;
        };
  // One pool, split afterwards, so that unknown codes never collide with indexed ones.
  const unknownCount = Math.ceil(codeCount * 0.05);
  const pool = uniqueCodes(codeCount + unknownCount, random, makeCode);
  const indexed = pool.slice(0, codeCount);
  const unknown = pool.slice(codeCount);
  const retiredCount = Math.round(codeCount * RETIRED_SHARE);

  const records = indexed.map((code, position) => {
    const retired = position < retiredCount;
    return {
      system,
      code: system === 'icd10cm' ? withDot(code) : code,
      display: `Synthetic test code ${position + 1}`,
      status: retired ? 'retired' : 'active',
      validFrom: VALID_FROM,
      ...(retired ? { validTo: RETIRED_FROM } : {}),
    };
  });
  return {
    records,
    retired: indexed.slice(0, retiredCount),
    active: indexed.slice(retiredCount),
    unknown,
  };
}

function checkDate(random) {
  const month = 1 + randomInt(random, 12);
  const day = 1 + randomInt(random, 28);
  return `${CHECK_YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Builds `count` checks in the 90/5/5 mix, shuffled, each with its own date
 * string and its expected result. ICD-10-CM codes are written with the dot
 * in half of the checks and without it in the other half, as claims and HL7
 * messages differ.
 */
function buildChecks({ codeSet, system, count, seed }) {
  const random = mulberry32(seed);
  const counts = {
    unknown: Math.round(count * MIX.unknown),
    retired: Math.round(count * MIX.retired),
  };
  counts.known = count - counts.unknown - counts.retired;

  const checks = [];
  const add = (pool, expected, howMany) => {
    for (let i = 0; i < howMany; i += 1) {
      const code = pool[randomInt(random, pool.length)];
      const written = system === 'icd10cm' && randomInt(random, 2) === 0 ? withDot(code) : code;
      checks.push({ code: written, date: checkDate(random), expected });
    }
  };
  add(codeSet.active, 'known', counts.known);
  add(codeSet.unknown, 'unknown', counts.unknown);
  add(codeSet.retired, 'retired', counts.retired);

  for (let i = checks.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, i + 1);
    [checks[i], checks[j]] = [checks[j], checks[i]];
  }
  return {
    codes: checks.map((check) => check.code),
    dates: checks.map((check) => check.date),
    expected: checks.map((check) => check.expected),
    counts,
  };
}

module.exports = {
  buildCodeSet,
  buildChecks,
  MIX,
  RETIRED_SHARE,
  VALID_FROM,
  RETIRED_FROM,
  CHECK_YEAR,
};
