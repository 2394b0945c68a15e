'use strict';

// Fetches a 1 GiB file from a loopback OpenSSH server into a local lake with the pipeline's SFTP
// step (`fetchSftpFiles`), dropping every connection once when 40% of the bytes have arrived. The
// landed object must equal the source byte for byte, nothing partial may stay in the lake, and
// memory must stay flat. The whole runner is not used, because it reads each landed file into
// memory to decode it.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Writable } = require('node:stream');

const PACKAGES_DIR = path.resolve(__dirname, '../../../packages');
const { createLogger, loadConfig } = require(path.join(PACKAGES_DIR, 'core/dist'));
const { fetchSftpFiles, loadPipelineFile, openLocalLake } = require(path.join(PACKAGES_DIR, 'pipeline/dist'));
const { startLoopbackSshd } = require(path.join(PACKAGES_DIR, 'sftp/dist'));
const { TEMP_FILE_PREFIX } = require(path.join(PACKAGES_DIR, 'storage/dist'));
const { writeLargeFile } = require('../../bench/sftp/input');
const { summarizeObjects } = require('../../bench/sftp/verify');

const MIB = 1024 ** 2;
const FILE_BYTES = 1024 ** 3;
const SEED = 20240101;
const PIPELINE_NAME = 'sftp-gigabyte';
/** Share of the bytes after which every connection is dropped, once. */
const DROP_AT_FRACTION = 0.4;
/** Growth of the resident set allowed between the first tenth of the bytes and the end. */
const ALLOWED_GROWTH_MIB = 64;
const RSS_SAMPLE_INTERVAL_MS = 100;
/** A file this large anywhere in the lake, other than the landed object, is a leftover copy. */
const LEFTOVER_BYTES = MIB;

function writePipelineFile(folder, sshd, remoteFolder) {
  const file = path.join(folder, `${PIPELINE_NAME}.pipeline.yaml`);
  const yaml = [
    `name: ${PIPELINE_NAME}`,
    'source:',
    '  type: sftp',
    `  host: ${sshd.host}`,
    `  port: ${sshd.port}`,
    `  username: ${sshd.username}`,
    `  path: ${remoteFolder}`,
    '  patterns: ["*.bin"]',
    `  hostKey: "${sshd.hostKeyFingerprint}"`,
    `  privateKey: "file:${sshd.privateKeyPath}"`,
    '  stableSeconds: 0',
    '  completionMarker: null',
    '  postAction: leave',
    'outputs: [raw.sftp_gigabyte]',
  ].join('\n');
  fs.writeFileSync(file, `${yaml}\n`);
  return file;
}

/** Creates a pino destination that parses each log record into `records`. */
function collectingDestination() {
  const records = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') records.push(JSON.parse(line));
      callback();
    },
  });
  return { records, destination };
}

/**
 * Tracks the resident set from when the bytes first reach a tenth of the file: the baseline then,
 * and the peak after it, sampled on a timer so the copy into landing/ after the download counts.
 */
function rssTracker() {
  const tracker = { baselineBytes: 0, peakBytes: 0 };
  const sample = () => {
    if (tracker.baselineBytes === 0) return;
    tracker.peakBytes = Math.max(tracker.peakBytes, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, RSS_SAMPLE_INTERVAL_MS);
  tracker.startBaseline = () => {
    if (tracker.baselineBytes !== 0) return;
    tracker.baselineBytes = process.memoryUsage.rss();
    tracker.peakBytes = tracker.baselineBytes;
  };
  tracker.stop = () => {
    sample();
    clearInterval(timer);
  };
  return tracker;
}

/** Runs the pipeline's SFTP step once, dropping the connections once at DROP_AT_FRACTION of the bytes. */
async function fetchWithOneDrop({ lake, pipeline, sshd }) {
  const { records, destination } = collectingDestination();
  const rss = rssTracker();
  const progress = { lastBytesDone: 0, bytesTakenBack: 0, dropped: undefined };
  const onProgress = (event) => {
    if (event.kind !== 'bytes') return;
    if (event.bytesDone < progress.lastBytesDone) progress.bytesTakenBack += progress.lastBytesDone - event.bytesDone;
    progress.lastBytesDone = event.bytesDone;
    if (event.bytesDone >= event.bytesTotal / 10) rss.startBaseline();
    if (progress.dropped === undefined && event.bytesDone >= event.bytesTotal * DROP_AT_FRACTION) {
      progress.dropped = sshd.dropConnections();
    }
  };

  const started = Date.now();
  let summary;
  try {
    summary = await fetchSftpFiles(lake, pipeline, { logger: createLogger({ level: 'warn', destination }), onProgress });
  } finally {
    rss.stop();
  }
  return {
    summary,
    seconds: (Date.now() - started) / 1000,
    killedProcesses: progress.dropped === undefined ? 0 : await progress.dropped,
    bytesTakenBack: progress.bytesTakenBack,
    warnings: records.filter((record) => record.level >= 40),
    rss,
  };
}

/** Lists what a failed attempt could have left in the lake: temporary files, incoming objects, stray large files. */
function findLeftovers(lakeRoot, landedFilePath) {
  const incoming = path.join(lakeRoot, '_state', 'sftp', PIPELINE_NAME, 'incoming');
  const leftovers = [];
  for (const entry of fs.readdirSync(lakeRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const filePath = path.join(entry.parentPath ?? entry.path, entry.name);
    const relative = path.relative(lakeRoot, filePath);
    if (entry.name.startsWith(TEMP_FILE_PREFIX)) leftovers.push(`temporary file ${relative}`);
    else if (filePath.startsWith(`${incoming}${path.sep}`)) leftovers.push(`incoming download ${relative}`);
    else if (filePath !== landedFilePath && fs.statSync(filePath).size >= LEFTOVER_BYTES) {
      leftovers.push(`unexpected ${(fs.statSync(filePath).size / MIB).toFixed(0)} MiB file ${relative}`);
    }
  }
  return leftovers;
}

module.exports = {
  name: 'sftp-gigabyte',
  description: 'a 1 GiB SFTP file landed through the pipeline, with the connection dropped once',
  async run(log) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-soak-sftp-'));
    const sshd = await startLoopbackSshd();
    let lake;
    try {
      const remoteFolder = path.join(sshd.root, 'outbound');
      fs.mkdirSync(remoteFolder);
      const remoteFile = path.join(remoteFolder, 'drop.bin');
      const source = writeLargeFile({ filePath: remoteFile, bytes: FILE_BYTES, seed: SEED });
      log(`wrote ${(source.bytes / MIB).toFixed(0)} MiB, sha256 ${source.sha256}`);

      const config = loadConfig({ cwd: folder, env: { CARELAKE_LAKE_ROOT: path.join(folder, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
      lake = await openLocalLake(config);
      const pipeline = loadPipelineFile(writePipelineFile(folder, sshd, remoteFolder));

      const fetched = await fetchWithOneDrop({ lake, pipeline, sshd });
      const { summary, rss } = fetched;
      log(
        `fetched ${summary.downloaded} file(s), ${(summary.bytes / MIB).toFixed(0)} MiB, in ${fetched.seconds.toFixed(1)} s; ` +
          `the drop killed ${fetched.killedProcesses} server process(es), ${(fetched.bytesTakenBack / MIB).toFixed(0)} MiB were read again`,
      );
      for (const warning of fetched.warnings) log(`warning: ${warning.msg} (attempt ${warning.attempt ?? '-'}, ${warning.error ?? ''})`);
      log(
        `resident set: ${(rss.baselineBytes / MIB).toFixed(0)} MiB after a tenth, peak ${(rss.peakBytes / MIB).toFixed(0)} MiB after it, ` +
          `process peak ${((process.resourceUsage().maxRSS * 1024) / MIB).toFixed(0)} MiB`,
      );

      const failures = [];
      if (summary.downloaded !== 1 || summary.failed !== 0) {
        failures.push(`expected 1 downloaded and 0 failed files, found ${summary.downloaded} downloaded and ${summary.failed} failed`);
      }
      if (fetched.killedProcesses === 0) failures.push('dropConnections killed no server process, so no connection was dropped');
      if (fetched.bytesTakenBack === 0) failures.push('no download attempt failed after the drop, so the retry was not exercised');

      const landed = await summarizeObjects(lake.store, 'landing/');
      if (landed.count !== 1) failures.push(`expected 1 object under landing/, found ${landed.count}`);
      if (landed.sha256 !== source.sha256 || landed.bytes !== source.bytes) {
        failures.push(`landed object has sha256 ${landed.sha256} and ${landed.bytes} bytes, expected ${source.sha256} and ${source.bytes}`);
      }
      let landedFilePath;
      for await (const object of lake.store.list({ prefix: 'landing/' })) landedFilePath = path.join(lake.root, object.key);
      for (const leftover of findLeftovers(lake.root, landedFilePath)) failures.push(`left in the lake: ${leftover}`);
      if (fs.statSync(remoteFile).size !== source.bytes) failures.push('the remote file changed, although the post-action is leave');

      if (rss.baselineBytes === 0) failures.push('the download never reached a tenth of the bytes, so memory was not sampled');
      if (rss.peakBytes - rss.baselineBytes > ALLOWED_GROWTH_MIB * MIB) {
        failures.push(`resident set grew by ${((rss.peakBytes - rss.baselineBytes) / MIB).toFixed(0)} MiB, more than ${ALLOWED_GROWTH_MIB} MiB`);
      }
      return failures;
    } finally {
      await lake?.close();
      await sshd.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
