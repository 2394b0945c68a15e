'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { mulberry32, randomInt } = require('../lib/random');

// Each file is written in pieces of about this size, so that memory stays bounded.
const FLUSH_CHARS = 4 * 1024 * 1024;
// Years move back by a multiple of 4, so that 29 February stays a valid date
// (every year from 1901 to 2099 divisible by 4 is a leap year).
const MAX_YEAR_SHIFT_STEPS = 10;
// Quantities and amounts are scaled by a factor in [1 - VALUE_SPREAD, 1 + VALUE_SPREAD).
const VALUE_SPREAD = 0.2;

function randomHex(random, digits) {
  let text = '';
  while (text.length < digits) {
    text += randomInt(random, 0x1_0000_0000).toString(16).padStart(8, '0');
  }
  return text.slice(0, digits);
}

/** Returns a random UUID (version 4 layout) drawn from the seeded generator. */
function randomUuid(random) {
  const hex = randomHex(random, 32);
  const variant = '89ab'[randomInt(random, 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Fills a template's slots for one generated patient. */
function renderResource(segments, patient, random) {
  let text = '';
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    if (typeof segment === 'string') {
      text += segment;
    } else if (segment.id !== undefined) {
      text += patient.ids[segment.id];
    } else if (segment.year !== undefined) {
      text += `${segment.year - patient.yearShift}${segment.rest}`;
    } else {
      const factor = 1 - VALUE_SPREAD + 2 * VALUE_SPREAD * random();
      text += (segment.value * factor).toFixed(segment.decimals);
    }
  }
  return text;
}

/** Buffers the lines of one NDJSON file and appends them in large writes. */
class NdjsonFileWriter {
  constructor(filePath) {
    this.path = filePath;
    this.fd = fs.openSync(filePath, 'w');
    this.pending = '';
    this.resourceCount = 0;
    this.bytes = 0;
  }

  append(line) {
    this.pending += `${line}\n`;
    this.resourceCount += 1;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  flush() {
    if (this.pending === '') return;
    this.bytes += fs.writeSync(this.fd, this.pending);
    this.pending = '';
  }

  close() {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/**
 * Writes `resourceCount` resources to one NDJSON file per resource type in
 * `dir`, named `<Type>.ndjson` as a Bulk Data export names them. Each
 * generated patient copies one template bundle, picked at random. The copy
 * gets new UUIDs for every id and reference, and every full date and dateTime
 * moves back by the same multiple of 4 years, up to 40. Every Quantity and
 * Money value is scaled by up to 20% either way. The last patient is cut
 * short when the count is reached. With `resourcesPerFile`, a type's
 * resources go to files `<Type>.NNNN.ndjson` of at most that many each.
 *
 * Returns the files in name order, each with `resourceType`, `path`,
 * `resourceCount` and `bytes`, and the number of patients generated.
 */
function generateNdjson({ dir, resourceCount, seed, templates, resourcesPerFile = Infinity }) {
  const random = mulberry32(seed);
  const writers = new Map();
  const filled = [];
  const writerOf = (resourceType) => {
    let writer = writers.get(resourceType);
    if (writer !== undefined && writer.resourceCount === resourcesPerFile) {
      writer.close();
      filled.push([resourceType, writer]);
      writer = undefined;
    }
    if (writer === undefined) {
      const parts = filled.filter(([type]) => type === resourceType).length;
      const part = resourcesPerFile === Infinity ? '' : `.${String(parts).padStart(4, '0')}`;
      writer = new NdjsonFileWriter(path.join(dir, `${resourceType}${part}.ndjson`));
      writers.set(resourceType, writer);
    }
    return writer;
  };

  let written = 0;
  let patientCount = 0;
  try {
    while (written < resourceCount) {
      const template = templates[randomInt(random, templates.length)];
      const ids = Array.from({ length: template.idCount }, () => randomUuid(random));
      const patient = { ids, yearShift: 4 * randomInt(random, MAX_YEAR_SHIFT_STEPS + 1) };
      patientCount += 1;
      for (const resource of template.resources) {
        if (written === resourceCount) break;
        writerOf(resource.resourceType).append(renderResource(resource.segments, patient, random));
        written += 1;
      }
    }
  } finally {
    for (const writer of writers.values()) writer.close();
  }

  const files = [...filled, ...writers.entries()]
    .sort(([, left], [, right]) => left.path.localeCompare(right.path))
    .map(([resourceType, writer]) => ({
      resourceType,
      path: writer.path,
      resourceCount: writer.resourceCount,
      bytes: writer.bytes,
    }));
  return { files, patientCount };
}

module.exports = { generateNdjson };
