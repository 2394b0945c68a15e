'use strict';

// Streams a 1 GiB HL7 v2 batch file through parseHl7Stream and checks that every message is read
// and that memory stays flat: the resident set may not grow with the bytes read.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');

const { parseHl7Stream } = require(path.resolve(__dirname, '../../../packages/hl7v2/dist'));

const TARGET_BYTES = 1024 ** 3;
const MIB = 1024 ** 2;
/** Growth of the resident set allowed between the first tenth of the file and the end. */
const ALLOWED_GROWTH_MIB = 64;

/** Build a synthetic ORU^R01 with a distinct control id. It holds no real person's data. */
function message(index) {
  const id = String(index).padStart(10, '0');
  return [
    `MSH|^~\\&|LAB|NORTH|LAKE|CARELAKE|20260102030405||ORU^R01|MSG${id}|P|2.5.1`,
    `PID|1||MRN${id}^^^NORTH^MR||Doe^Alex||19800101|U`,
    'PV1|1|O|CLINIC^1^1',
    `OBR|1|ORD${id}|FIL${id}|718-7^Hemoglobin^LN|||20260102030000`,
    ...[1, 2, 3, 4, 5].map((n) => `OBX|${n}|NM|718-7^Hemoglobin^LN||${(12 + n / 10).toFixed(1)}|g/dL|12-17|N|||F`),
  ].join('\r') + '\r';
}

async function writeBatch(file) {
  let written = 0;
  let count = 0;
  async function* lines() {
    yield 'BHS|^~\\&|LAB|NORTH\r';
    while (written < TARGET_BYTES) {
      const text = message(count);
      count++;
      written += text.length;
      yield text;
    }
    yield `BTS|${count}\r`;
  }
  await pipeline(Readable.from(lines()), fs.createWriteStream(file, { highWaterMark: 4 * MIB }));
  return count;
}

module.exports = {
  name: 'hl7v2-gigabyte',
  description: 'a 1 GiB HL7 v2 batch streamed with flat memory',
  async run(log) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-soak-hl7-'));
    const file = path.join(folder, 'batch.hl7');
    try {
      const expected = await writeBatch(file);
      log(`wrote ${expected} messages, ${(fs.statSync(file).size / MIB).toFixed(0)} MiB`);

      const started = Date.now();
      let messages = 0;
      let problems = 0;
      let baselineRss = 0;
      let peakRss = 0;
      let results = 0;
      const size = fs.statSync(file).size;
      const stream = fs.createReadStream(file, { highWaterMark: MIB });
      for await (const result of parseHl7Stream(stream, { mode: 'lenient', file: 'batch.hl7' })) {
        messages += result.messages.length;
        problems += result.problems.length;
        results++;
        if (results % 1000 !== 0) continue;
        const rss = process.memoryUsage().rss;
        if (baselineRss === 0 && stream.bytesRead >= size / 10) baselineRss = rss;
        if (baselineRss !== 0) peakRss = Math.max(peakRss, rss);
      }
      const seconds = (Date.now() - started) / 1000;
      log(`parsed ${messages} messages in ${seconds.toFixed(1)} s (${(size / MIB / seconds).toFixed(1)} MiB/s)`);
      log(`resident set: ${(baselineRss / MIB).toFixed(0)} MiB after a tenth, peak ${(peakRss / MIB).toFixed(0)} MiB`);

      const failures = [];
      if (messages !== expected) failures.push(`parsed ${messages} messages, expected ${expected}`);
      if (problems !== 0) failures.push(`${problems} problem(s) reported on a well-formed batch`);
      if (peakRss - baselineRss > ALLOWED_GROWTH_MIB * MIB) {
        failures.push(`resident set grew by ${((peakRss - baselineRss) / MIB).toFixed(0)} MiB, more than ${ALLOWED_GROWTH_MIB} MiB`);
      }
      return failures;
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
