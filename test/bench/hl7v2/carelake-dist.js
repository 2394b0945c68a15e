'use strict';

const {
  distEntry,
  checkPackageBuilt,
  readPackageVersion,
  describePackageSource,
} = require('../lib/carelake-dist');

const CARELAKE_HL7V2_ENTRY = distEntry('hl7v2');

/**
 * Throws when packages/hl7v2 is not built, or when a source file is newer
 * than its built output.
 */
function checkCarelakeHl7v2Built() {
  checkPackageBuilt('hl7v2');
}

/** Returns the version in packages/hl7v2/package.json. */
function readCarelakeHl7v2Version() {
  return readPackageVersion('hl7v2');
}

/** Describes the commit packages/hl7v2 was built from. */
function describeCarelakeHl7v2Source() {
  return describePackageSource('hl7v2');
}

module.exports = {
  CARELAKE_HL7V2_ENTRY,
  checkCarelakeHl7v2Built,
  readCarelakeHl7v2Version,
  describeCarelakeHl7v2Source,
};
