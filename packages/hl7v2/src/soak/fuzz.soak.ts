import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { encodeHl7Message } from '../encode';
import { parseHl7File } from '../parse-file';
import { expectedLeaves, messageArbitrary, mutatedInputArbitrary } from './hl7-arbitraries';
import { checkDamagedInput, checkStreamMatchesFile } from './parse-checks';

export interface Hl7FuzzOptions {
  /** fast-check seed; the same seed replays the same inputs. */
  seed: number;
  /** Runs of each property. */
  runs: number;
  /** Files to damage; the shared public HL7 v2 test set when not given. */
  corpus?: readonly Buffer[];
}

export interface Hl7FuzzReport {
  seed: number;
  /** Runs of each property, all of which passed. */
  runs: number;
  properties: string[];
  durationMs: number;
}

/** The shared public test set, found from this file in `src/soak` or `dist/soak`. */
const DEFAULT_CORPUS_DIR = resolve(__dirname, '../../../../../shared/testdata/hl7v2');

/**
 * Run the parser's properties for longer than the unit tests do. Generated messages round-trip
 * through encode and parse, with every value read back. Damaged corpus files never make parsing
 * throw outside the package's error family, and each parses the same whole and as a stream.
 * It reads the corpus from disk, so it belongs to soak runs and not to the parser.
 * @throws the fast-check failure, with the seed and the shrunk input, when a property fails.
 */
export async function runHl7Fuzz(options: Hl7FuzzOptions): Promise<Hl7FuzzReport> {
  const started = Date.now();
  const settings = { seed: options.seed, numRuns: options.runs };
  const corpus = options.corpus ?? readCorpus(DEFAULT_CORPUS_DIR);

  fc.assert(
    fc.property(messageArbitrary, ({ text, segments }) => {
      const [message] = parseHl7File(text).messages;
      if (message === undefined || encodeHl7Message(message) !== text) return false;
      return expectedLeaves(segments).every(([path, value]) => message.get(path) === value);
    }),
    settings,
  );
  fc.assert(
    fc.property(mutatedInputArbitrary(corpus), (bytes) => checkDamagedInput(bytes) === undefined),
    settings,
  );
  await fc.assert(
    fc.asyncProperty(
      mutatedInputArbitrary(corpus),
      fc.integer({ min: 1, max: 65_536 }),
      async (bytes, chunkSize) => (await checkStreamMatchesFile(bytes, chunkSize)) === undefined,
    ),
    settings,
  );

  return {
    seed: options.seed,
    runs: options.runs,
    properties: ['round trip', 'damaged input', 'stream matches file'],
    durationMs: Date.now() - started,
  };
}

function readCorpus(directory: string): Buffer[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.hl7'))
    .sort()
    .map((name) => readFileSync(join(directory, name)));
}
