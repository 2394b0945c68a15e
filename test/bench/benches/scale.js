'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { checkPackageBuilt, describePackageSource } = require('../lib/carelake-dist');
const { forkChild } = require('../lib/fork-child');
const { generateNdjson } = require('../fhir-views/generate-ndjson');
const { readViewResourceTypes } = require('../fhir-views/profile');
const { loadSyntheaTemplates } = require('../fhir-views/synthea-templates');
const { generateHl7Files } = require('../scale/hl7-messages');
const { describeStages, describeSettings, COLUMNS, charts, assess } = require('../scale/results');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const DEFAULT_MESSAGES = 1_000_000;
const DEFAULT_RESOURCES = 1_000_000;
// Landing files of this many records: the runner reads and decodes a file whole, so one
// million-record file would hold every row in memory at once.
const MESSAGES_PER_FILE = 10_000;
const RESOURCES_PER_FILE = 20_000;
const HL7_SEED = 20260305;
const FHIR_SEED = 20240101;
const PACKAGES = ['core', 'storage', 'tables', 'hl7v2', 'fhir', 'pipeline'];
const CHILD_PATH = require.resolve('../scale/child');
const CLINICAL = ['patients', 'encounters', 'observations', 'conditions', 'procedures']
  .concat(['immunizations', 'medications'])
  .map((table) => `clinical.${table}`);
const OUTPUTS = ['raw.hl7v2_segments', 'raw.fhir_resources', ...CLINICAL];

function writePipelineFile(file, name, sourceDir) {
  fs.writeFileSync(
    file,
    [
      `name: ${name}`,
      `source: { type: directory, path: ${sourceDir} }`,
      `outputs: [${OUTPUTS.join(', ')}]`,
      '',
    ].join('\n'),
  );
}

function sizeOf(files) {
  return files.reduce((total, file) => total + fs.statSync(file).size, 0);
}

/**
 * Generates `messages` HL7 v2 messages and `resources` FHIR resources into landing folders,
 * then runs an HL7 v2 pipeline and a FHIR pipeline with the repository's mappings, views and
 * transforms into one new encrypted lake, each run in its own process. Returns the time of
 * each stage and the peak RSS of each run. Throws when a run reads fewer records than made.
 */
async function run({
  messages = DEFAULT_MESSAGES,
  resources = DEFAULT_RESOURCES,
  onProgress = () => {},
}) {
  for (const name of PACKAGES) checkPackageBuilt(name);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carelake-bench-scale-'));
  try {
    const hl7Dir = path.join(tempDir, 'inputs-hl7v2');
    const fhirDir = path.join(tempDir, 'inputs-fhir');
    fs.mkdirSync(hl7Dir);
    fs.mkdirSync(fhirDir);

    onProgress(`generating ${messages} HL7 v2 messages`);
    let started = performance.now();
    const hl7 = generateHl7Files({
      dir: hl7Dir,
      messageCount: messages,
      messagesPerFile: MESSAGES_PER_FILE,
      seed: HL7_SEED,
    });
    const hl7GenerateMs = performance.now() - started;

    onProgress(`generating ${resources} FHIR resources`);
    started = performance.now();
    const fhir = generateNdjson({
      dir: fhirDir,
      resourceCount: resources,
      seed: FHIR_SEED,
      templates: loadSyntheaTemplates(readViewResourceTypes()),
      resourcesPerFile: RESOURCES_PER_FILE,
    });
    const fhirGenerateMs = performance.now() - started;

    fs.writeFileSync(
      path.join(tempDir, 'carelake.yaml'),
      'lake: { root: ./lake }\nkeys: { provider: file, path: ./lake.key, createIfMissing: true }\n',
    );
    const runs = [];
    for (const [name, dir, records, files] of [
      ['scale-hl7v2', hl7Dir, messages, hl7.files],
      ['scale-fhir', fhirDir, resources, fhir.files.map((file) => file.path)],
    ]) {
      const pipelineFile = path.join(tempDir, `${name}.pipeline.yaml`);
      writePipelineFile(pipelineFile, name, dir);
      onProgress(`running ${name} over ${files.length} files`);
      const result = await forkChild({
        childPath: CHILD_PATH,
        request: {
          configDir: tempDir,
          pipelineFile,
          datasetsDir: path.join(REPO_ROOT, 'pipelines', 'datasets'),
        },
        label: name,
      });
      if (result.summary.recordsIn !== records || result.summary.filesIngested !== files.length) {
        throw new Error(
          `${name}: read ${result.summary.recordsIn} records from ${result.summary.filesIngested} ` +
            `files, expected ${records} from ${files.length}`,
        );
      }
      runs.push({ name, records, files: files.length, bytes: sizeOf(files), ...result });
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const { rows, notes } = describeStages(runs);
    return {
      input:
        `${messages.toLocaleString('en-US')} HL7 v2 messages in ${hl7.files.length} files ` +
        `(${(runs[0].bytes / 1024 ** 2).toFixed(0)} MiB; shaped like ${hl7.templates.length} ` +
        `single-message samples of the shared test data, ${hl7.patientCount.toLocaleString('en-US')} ` +
        `made-up patients, mulberry32 seed ${HL7_SEED}; generated in ` +
        `${(hl7GenerateMs / 1000).toFixed(0)} s) and ${resources.toLocaleString('en-US')} FHIR ` +
        `resources in ${fhir.files.length} NDJSON files (${(runs[1].bytes / 1024 ** 2).toFixed(0)} ` +
        `MiB; from the Synthea bundles of the shared test data as ` +
        `${fhir.patientCount.toLocaleString('en-US')} patients, mulberry32 seed ${FHIR_SEED}; ` +
        `generated in ${(fhirGenerateMs / 1000).toFixed(0)} s). One run.`,
      settings: describeSettings({
        source: describePackageSource('pipeline'),
        messagesPerFile: MESSAGES_PER_FILE,
        resourcesPerFile: RESOURCES_PER_FILE,
        outputs: OUTPUTS,
      }),
      columns: COLUMNS,
      rows,
      notes,
    };
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

module.exports = {
  name: 'scale',
  description:
    'Lands generated HL7 v2 messages and FHIR resources (one million each by default) and runs ' +
    'them through the pipeline runner (mappings, views, SQL transforms) into a new encrypted ' +
    'local lake, and reports the time of each stage and the peak RSS of each run.',
  run,
  charts,
  assess,
};
