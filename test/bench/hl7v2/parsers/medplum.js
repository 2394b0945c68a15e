'use strict';

const { Hl7Message } = require('@medplum/core');

function parse(text) {
  return Hl7Message.parse(text);
}

function extract(message) {
  const pid = message.getSegment('PID');
  const fifthObx = message.getAllSegments('OBX')[4];
  return {
    controlId: message.getSegment('MSH').getComponent(10, 1),
    patientId: pid.getComponent(3, 1),
    familyName: pid.getComponent(5, 1),
    lastObservationValue: fifthObx.getComponent(5, 1),
    lastObservationCode: fifthObx.getComponent(3, 1),
  };
}

module.exports = { parse, extract };
