'use strict';

const HL7 = require('hl7-standard');

function parse(text) {
  const message = new HL7(text);
  message.transform();
  return message;
}

// The second argument of get is the 0-based index among segments with that id.
const FIFTH = 4;

function extract(message) {
  return {
    controlId: message.get('MSH.10'),
    patientId: message.get('PID.3.1'),
    familyName: message.get('PID.5.1'),
    lastObservationValue: message.get('OBX.5', FIFTH),
    lastObservationCode: message.get('OBX.3.1', FIFTH),
  };
}

module.exports = { parse, extract };
