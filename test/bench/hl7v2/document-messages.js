'use strict';

// Synthetic ORU^R01 messages that carry a PDF-like document in OBX-5, as an
// ED value whose data component is Base64. The document bytes come from a
// seeded PRNG between a PDF header and trailer, so they are deterministic and
// do not compress, like the images inside real report PDFs.

const { mulberry32 } = require('../lib/random');

const PDF_HEADER = '%PDF-1.7\n';
const PDF_TRAILER = '\n%%EOF\n';

/**
 * Generates a Base64 text of exactly `base64Length` characters, encoding
 * `base64Length * 3 / 4` bytes. The length must be a multiple of 4, so the
 * text ends with no padding.
 */
function generateBase64Document({ base64Length, seed }) {
  if (base64Length % 4 !== 0) {
    throw new Error(`base64Length must be a multiple of 4, found ${base64Length}`);
  }
  const bytes = Buffer.alloc((base64Length / 4) * 3);
  const random = mulberry32(seed);
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    bytes.writeUInt32LE(Math.floor(random() * 2 ** 32), offset);
  }
  bytes.write(PDF_HEADER, 0, 'latin1');
  bytes.write(PDF_TRAILER, bytes.length - PDF_TRAILER.length, 'latin1');
  return bytes.toString('base64');
}

/** Builds one ORU^R01 whose only OBX carries `base64` as OBX-5.5, the ED data component. */
function buildDocumentMessage(base64) {
  const segments = [
    'MSH|^~\\&|LABSYS|NORTH_LAB|CARELAKE|CARELAKE|202403051230+0000||ORU^R01^ORU_R01|DOC00000001|P|2.5.1|||NE|NE||UNICODE UTF-8',
    'PID|1||MRN00000001^^^NORTH_LAB^MR||SYNTHETIC^PATIENT||19700101|U',
    'OBR|1|100000001^LABSYS|F100000001^LABSYS|11502-2^Laboratory report^LN|||202403051230+0000|||||||||||||||202403051230+0000|||F',
    `OBX|1|ED|11502-2^Laboratory report^LN||^application^pdf^Base64^${base64}||||||F|||202403051230+0000`,
  ];
  return `${segments.join('\r')}\r`;
}

module.exports = { generateBase64Document, buildDocumentMessage };
