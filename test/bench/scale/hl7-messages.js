'use strict';

// Synthetic HL7 v2 messages shaped like the single-message samples of the shared test data. Each
// generated message copies the segments and fields of one sample. The values that identify a
// person, a visit or an order (MSH-10, PID-3.1, PID-5, PID-7, PID-19, PV1-19.1, ORC-2.1, ORC-3.1,
// OBR-2.1, OBR-3.1) are replaced with made-up ones from a seeded generator.

const fs = require('node:fs');
const path = require('node:path');
const { mulberry32, randomInt } = require('../lib/random');

const HL7V2_DIR = path.resolve(__dirname, '../../../../shared/testdata/hl7v2');

// Samples of one message each with standard delimiters, which the lenient decoder reads without
// quarantine. Batch, file-header, charset and invalid samples test framing, not volume.
const TEMPLATE_FILES = [
  'adt_a01_fhirconv_01.hl7',
  'adt_a01_wikipedia_tz_01.hl7',
  'adt_a03_nist_syndromic_01.hl7',
  'adt_a04_classic_mcm_01.hl7',
  'adt_a08_fhirconv_01.hl7',
  'mdm_t02_tx_v23_01.hl7',
  'orm_o01_fhirconv_bom_01.hl7',
  'oru_r01_cwe_ed_nm_rp_01.hl7',
  'oru_r01_lri_cbc_cwe_nm_tx_bom_01.hl7',
  'oru_r01_priorityhealth_cr_01.hl7',
  'siu_s12_fhirconv_01.hl7',
  'vxu_v04_nist_iz_01.hl7',
];

const SYLLABLES = ['ka', 'lo', 'mir', 'ten', 'sa', 'vel', 'dor', 'ni', 'bra', 'qu', 'zel', 'po'];

// Each file is written in pieces of about this size, so that memory stays bounded.
const FLUSH_CHARS = 4 * 1024 * 1024;

function madeUpName(random) {
  const syllables = 2 + randomInt(random, 2);
  let name = '';
  for (let i = 0; i < syllables; i += 1) name += SYLLABLES[randomInt(random, SYLLABLES.length)];
  return name[0].toUpperCase() + name.slice(1);
}

/** Reads the template samples as segments of fields, with their delimiters. */
function loadHl7Templates() {
  return TEMPLATE_FILES.map((file) => {
    const text = fs.readFileSync(path.join(HL7V2_DIR, file), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r\n|\r|\n/).filter((line) => line !== '');
    const fieldSeparator = lines[0][3];
    const encoding = lines[0].split(fieldSeparator)[1];
    return {
      file,
      fieldSeparator,
      componentSeparator: encoding[0],
      repetitionSeparator: encoding[1],
      segments: lines.map((line) => line.split(fieldSeparator)),
    };
  });
}

/** Replaces the first component of the first repetition of fields[index], when present and non-empty. */
function replaceFirstComponent(fields, index, value, template) {
  const field = fields[index];
  if (field === undefined || field === '') return;
  const [first, ...others] = field.split(template.repetitionSeparator);
  const components = first.split(template.componentSeparator);
  components[0] = value;
  fields[index] = [components.join(template.componentSeparator), ...others].join(
    template.repetitionSeparator,
  );
}

/** Renders message `index` from a template, for the made-up patient `patient`. */
function renderMessage(template, index, patient) {
  const lines = template.segments.map((segment) => {
    const fields = [...segment];
    switch (fields[0]) {
      case 'MSH':
        // MSH-1 is the separator itself, so MSH-n is at index n - 1.
        fields[9] = `SCALE${index}`;
        break;
      case 'PID':
        replaceFirstComponent(fields, 3, patient.id, template);
        if (fields.length > 5) fields[5] = patient.name;
        if (fields.length > 7) fields[7] = patient.birthDate;
        if (fields.length > 19) fields[19] = '';
        break;
      case 'PV1':
        replaceFirstComponent(fields, 19, `V${index}`, template);
        break;
      case 'ORC':
      case 'OBR':
        replaceFirstComponent(fields, 2, `P${index}`, template);
        replaceFirstComponent(fields, 3, `F${index}`, template);
        break;
      default:
        break;
    }
    return fields.join(template.fieldSeparator);
  });
  return `${lines.join('\r')}\r`;
}

/**
 * Writes `messageCount` messages into files of at most `messagesPerFile` messages each, named
 * `hl7-NNNNN.hl7`, and returns the files and the number of made-up patients. Patients recur
 * (about five messages each), so that history tables receive updates.
 */
function generateHl7Files({ dir, messageCount, messagesPerFile, seed }) {
  const random = mulberry32(seed);
  const templates = loadHl7Templates();
  const patientCount = Math.max(1, Math.ceil(messageCount / 5));
  const patients = new Map();
  const patientOf = (number) => {
    let patient = patients.get(number);
    if (patient === undefined) {
      const year = 1930 + randomInt(random, 90);
      const month = String(1 + randomInt(random, 12)).padStart(2, '0');
      const day = String(1 + randomInt(random, 28)).padStart(2, '0');
      patient = {
        id: `SC${String(number).padStart(8, '0')}`,
        birthDate: `${year}${month}${day}`,
        nameParts: [madeUpName(random), madeUpName(random)],
      };
      patients.set(number, patient);
    }
    return patient;
  };

  const files = [];
  let fd;
  let pending = '';
  let messagesInFile = 0;
  const closeFile = () => {
    if (fd === undefined) return;
    fs.writeSync(fd, pending);
    fs.closeSync(fd);
    fd = undefined;
    pending = '';
  };
  for (let index = 0; index < messageCount; index += 1) {
    if (fd === undefined || messagesInFile === messagesPerFile) {
      closeFile();
      const file = path.join(dir, `hl7-${String(files.length).padStart(5, '0')}.hl7`);
      files.push(file);
      fd = fs.openSync(file, 'w');
      messagesInFile = 0;
    }
    const template = templates[randomInt(random, templates.length)];
    const patient = patientOf(randomInt(random, patientCount));
    const name = patient.nameParts.join(template.componentSeparator);
    pending += renderMessage(template, index, { ...patient, name });
    messagesInFile += 1;
    if (pending.length >= FLUSH_CHARS) {
      fs.writeSync(fd, pending);
      pending = '';
    }
  }
  closeFile();
  return { files, patientCount: patients.size, templates: templates.map((t) => t.file) };
}

module.exports = { generateHl7Files, TEMPLATE_FILES };
