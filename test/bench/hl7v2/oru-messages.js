'use strict';

// Synthetic ORU^R01 lipid panel results: MSH, PID, PV1, OBR and five OBX,
// about 1.1 KB each, segments ended by CR. Names, identifiers and addresses
// are generated and belong to no one. The same seed yields the same messages in
// every child process, so every parser is checked against one set of expected
// values.

const { mulberry32, randomInt } = require('../lib/random');

// LOINC codes of a lipid panel. Values are drawn between low and high.
const LIPID_PANEL = [
  {
    code: '2093-3',
    name: 'Cholesterol [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    range: '<200',
    low: 120,
    high: 300,
    decimals: 0,
  },
  {
    code: '2571-8',
    name: 'Triglyceride [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    range: '<150',
    low: 40,
    high: 400,
    decimals: 0,
  },
  {
    code: '2085-9',
    name: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    range: '>40',
    low: 25,
    high: 95,
    decimals: 0,
  },
  {
    code: '13457-7',
    name: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
    unit: 'mg/dL',
    range: '<100',
    low: 50,
    high: 220,
    decimals: 0,
  },
  {
    code: '9830-1',
    name: 'Cholesterol.total/Cholesterol in HDL [Mass Ratio] in Serum or Plasma',
    unit: '{ratio}',
    range: '<5.0',
    low: 2,
    high: 8,
    decimals: 1,
  },
];

// Syllables for made-up names, so that no generated name is a real person's.
const SYLLABLES = 'BAR DEL FIN GOR HAL KEN LOR MAV NOR PEL QUIN ROS SAL TEV VOR ZAN'.split(' ');

// Results fall within the 365 days from 2024-01-01T00:00:00Z.
const RESULTS_FROM_MS = Date.UTC(2024, 0, 1);
const RESULTS_SPAN_MINUTES = 365 * 24 * 60;

function makeName(random, syllableCount) {
  let name = '';
  for (let i = 0; i < syllableCount; i += 1) {
    name += SYLLABLES[randomInt(random, SYLLABLES.length)];
  }
  return name;
}

function digits(random, length) {
  return String(randomInt(random, 10 ** length)).padStart(length, '0');
}

/** Formats a time as an HL7 DTM with minutes and a UTC offset, such as `202403051230+0000`. */
function formatHl7Minutes(epochMs) {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace(/[-T:]/g, '')}+0000`;
}

function makeObservation(random, test) {
  const raw = test.low + random() * (test.high - test.low);
  const value = raw.toFixed(test.decimals);
  const limit = Number(test.range.slice(1));
  const hasUpperLimit = test.range.startsWith('<');
  let flag = 'N';
  if (hasUpperLimit && raw >= limit) flag = 'H';
  if (!hasUpperLimit && raw <= limit) flag = 'L';
  return { test, value, flag };
}

function formatBirthDate(random) {
  const year = 1930 + randomInt(random, 90);
  const month = String(1 + randomInt(random, 12)).padStart(2, '0');
  const day = String(1 + randomInt(random, 28)).padStart(2, '0');
  return `${year}${month}${day}`;
}

function buildMessage(random, messageNumber) {
  const controlId = `LAB${String(messageNumber).padStart(8, '0')}`;
  const observedAt = formatHl7Minutes(
    RESULTS_FROM_MS + randomInt(random, RESULTS_SPAN_MINUTES) * 60_000,
  );
  const patientId = `MRN${digits(random, 8)}`;
  const stateId = digits(random, 9);
  const familyName = makeName(random, 2 + randomInt(random, 2));
  const givenName = makeName(random, 2);
  const middleInitial = makeName(random, 1).charAt(0);
  const birthDate = formatBirthDate(random);
  const sex = random() < 0.5 ? 'F' : 'M';
  const street = `${1 + randomInt(random, 999)} SYNTHETIC ST^^TESTTOWN^ZZ^00000^^H`;
  const room = randomInt(random, 40);
  const provider = {
    id: digits(random, 10),
    family: makeName(random, 2),
    given: makeName(random, 2),
  };
  const visitNumber = `V${digits(random, 9)}`;
  const orderNumber = digits(random, 9);
  const observations = LIPID_PANEL.map((test) => makeObservation(random, test));

  const segments = [
    `MSH|^~\\&|LABSYS|NORTH_LAB^2.16.840.1.113883.3.9999^ISO|CARELAKE|CARELAKE|${observedAt}||ORU^R01^ORU_R01|${controlId}|P|2.5.1|||NE|NE||UNICODE UTF-8`,
    `PID|1||${patientId}^^^NORTH_LAB^MR~${stateId}^^^STATE^PI||${familyName}^${givenName}^${middleInitial}^^^^L||${birthDate}|${sex}|||${street}`,
    `PV1|1|O|LAB^${room}^1^NORTH_LAB||||${provider.id}^${provider.family}^${provider.given}^^^^^^NPI|||||||||||${visitNumber}`,
    `OBR|1|${orderNumber}^LABSYS|F${orderNumber}^LABSYS|24331-1^Lipid panel - Serum or Plasma^LN|||${observedAt}|||||||||${provider.id}^${provider.family}^^^^^^^NPI||||||${observedAt}|||F`,
    ...observations.map(
      ({ test, value, flag }, index) =>
        `OBX|${index + 1}|NM|${test.code}^${test.name}^LN||${value}|${test.unit}|${test.range}|${flag}|||F|||${observedAt}`,
    ),
  ];
  const last = observations[observations.length - 1];
  return {
    text: `${segments.join('\r')}\r`,
    expected: {
      controlId,
      patientId,
      familyName,
      lastObservationValue: last.value,
      lastObservationCode: last.test.code,
    },
  };
}

/**
 * Generates `count` distinct ORU^R01 messages with the values every parser
 * must extract: MSH-10, PID-3.1, PID-5.1, and OBX-5 and OBX-3.1 of the fifth
 * OBX. Messages differ in every identifier and value, so no parser can reuse
 * work from the previous message.
 */
function generateOruMessages({ count, seed }) {
  const random = mulberry32(seed);
  const messages = [];
  for (let i = 0; i < count; i += 1) {
    messages.push(buildMessage(random, i + 1));
  }
  return messages;
}

/** The extracted values, in the order the checks report them. */
const EXTRACTED_FIELDS = [
  { key: 'controlId', path: 'MSH-10' },
  { key: 'patientId', path: 'PID-3.1' },
  { key: 'familyName', path: 'PID-5.1' },
  { key: 'lastObservationValue', path: 'OBX[5]-5' },
  { key: 'lastObservationCode', path: 'OBX[5]-3.1' },
];

module.exports = { generateOruMessages, EXTRACTED_FIELDS };
