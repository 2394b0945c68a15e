'use strict';

const { CARELAKE_HL7V2_ENTRY } = require('../carelake-dist');

const { parseHl7Message } = require(CARELAKE_HL7V2_ENTRY);

/** @carelake/hl7v2 on a decoded string, the input the peers take. */
function parse(text) {
  return parseHl7Message(text);
}

// Fields are split only when a path reads them, so extraction is where the
// rest of the parsing happens.
function extract({ message }) {
  return {
    controlId: message.get('MSH-10'),
    patientId: message.get('PID-3.1'),
    familyName: message.get('PID-5.1'),
    lastObservationValue: message.get('OBX[5]-5'),
    lastObservationCode: message.get('OBX[5]-3.1'),
  };
}

/** Lists the warnings of a parse, which a well-formed message must not get. */
function findIssues({ warnings }) {
  return warnings.map((warning) => `warning ${warning.code}: ${warning.reason}`);
}

module.exports = { parse, extract, findIssues };
