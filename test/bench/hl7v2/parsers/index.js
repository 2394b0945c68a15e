'use strict';

// The HL7 v2 parsers compared. Each module exports `parse(input)`,
// `extract(parsed)` returning the values of EXTRACTED_FIELDS, and optionally
// `prepare(text)` to turn the message text into its input and
// `findIssues(parsed)`. The parent process reads only this table, so that each
// parser is loaded alone in its own child process.
const PARSERS = [
  {
    name: 'carelake',
    label: '@carelake/hl7v2, string',
    packages: [],
    isOurs: true,
    modulePath: require.resolve('./carelake'),
  },
  {
    name: 'carelake-bytes',
    label: '@carelake/hl7v2, UTF-8 bytes',
    packages: [],
    isOurs: true,
    modulePath: require.resolve('./carelake-bytes'),
  },
  {
    name: 'simple-hl7',
    label: 'simple-hl7',
    packages: ['simple-hl7'],
    isOurs: false,
    modulePath: require.resolve('./simple-hl7'),
  },
  {
    name: 'medplum',
    label: '@medplum/core',
    packages: ['@medplum/core'],
    isOurs: false,
    modulePath: require.resolve('./medplum'),
  },
  {
    name: 'hl7-standard',
    label: 'hl7-standard',
    packages: ['hl7-standard'],
    isOurs: false,
    modulePath: require.resolve('./hl7-standard'),
  },
];

module.exports = { PARSERS };
