'use strict';

const hl7 = require('simple-hl7');

// simple-hl7 splits with the fixed delimiters `|^~\&` and CR and never reads
// MSH-1 or MSH-2. Every generated message uses those.
function parse(text) {
  return new hl7.Parser().parse(text);
}

// simple-hl7's getComponent reads only fields without repetitions. A repeated
// field holds one nested field per repetition, each with its own components.
function readFirstComponent(segment, fieldNumber) {
  const first = segment.fields[fieldNumber - 1].value[0];
  const components = Array.isArray(first) ? first : first.value[0];
  return components[0].value[0];
}

// The header's fields start at MSH-3, so MSH-10 is its 8th field.
const MSH_10_IN_HEADER = 8;

function extract(message) {
  const pid = message.getSegment('PID');
  const fifthObx = message.getSegments('OBX')[4];
  return {
    controlId: message.header.getField(MSH_10_IN_HEADER),
    patientId: readFirstComponent(pid, 3),
    familyName: pid.getComponent(5, 1),
    lastObservationValue: fifthObx.getField(5),
    lastObservationCode: fifthObx.getComponent(3, 1),
  };
}

module.exports = { parse, extract };
