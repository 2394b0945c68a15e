import {
  ConfigError,
  parseYamlDocument,
  type ConfigIssue,
  type DatasetDefinition,
} from '@carelake/core';
import { checkMappingFile } from '../language/checks';
import { mappingFileShape, type MappingFile } from '../language/schema';
import { SenderTimeZone } from '../sender-time-zone';
import { CompiledRule } from './compiled-rule';
import { Hl7MappingSet } from './mapping-set';

/** The text of one mapping file and the name errors give it, such as `clinical.patients.mapping.yaml`. */
export interface Hl7MappingSource {
  file: string;
  text: string;
}

export interface CompileHl7MappingsOptions {
  /**
   * Dataset definitions by `database.table`. With them, each file's columns are checked against
   * its table's, and rows get null for the nullable columns a file does not map.
   */
  datasets?: ReadonlyMap<string, DatasetDefinition>;
  /**
   * Tables to map, such as a pipeline's outputs. Files for other tables are still validated, but
   * not against the datasets, and map nothing. Every table when left out.
   */
  tables?: readonly string[];
  /**
   * IANA time zone the sender writes its local times in, such as `America/Chicago`. Timestamps
   * without a UTC offset are local times in it. Left out, they are read as UTC, and each message
   * with such a value gets one `timestamp-without-offset` warning.
   */
  senderTimeZone?: string;
}

/**
 * Validate a mapping file: its YAML, its shape and the checks that need the whole file. Errors
 * name the key path and line, such as `columns.admit_time.path (line 12)`.
 * @throws ConfigError listing every problem of the file.
 */
export function parseHl7MappingFile(
  source: Hl7MappingSource,
  options: CompileHl7MappingsOptions = {},
): MappingFile {
  const schema = mappingFileShape.superRefine((file, context) => {
    checkMappingFile(file, options.datasets, (path, message) =>
      context.addIssue({ code: 'custom', path, message }),
    );
  });
  return parseYamlDocument(source.text, source.file, schema);
}

/**
 * Compile mapping files into the closures that map messages, once per run; mapping a message
 * then parses no path or template again. The interpreter does no I/O: the caller reads the files.
 * @throws ConfigError listing the problems of every invalid file, each key path prefixed by its
 * file. A ConfigError naming `senderTimeZone` when that is not a time zone name.
 */
export function compileHl7Mappings(
  sources: readonly Hl7MappingSource[],
  options: CompileHl7MappingsOptions = {},
): Hl7MappingSet {
  const senderTimeZone =
    options.senderTimeZone === undefined ? undefined : new SenderTimeZone(options.senderTimeZone);
  const rules: CompiledRule[] = [];
  const failures: ConfigError[] = [];
  for (const source of sources) {
    try {
      let definition = parseHl7MappingFile(source);
      if (options.tables !== undefined && !options.tables.includes(definition.table)) continue;
      if (options.datasets !== undefined) definition = parseHl7MappingFile(source, options);
      rules.push(
        new CompiledRule(
          source.file,
          definition,
          options.datasets?.get(definition.table),
          senderTimeZone,
        ),
      );
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      failures.push(error);
    }
  }

  const [only] = failures;
  if (failures.length === 1 && only) throw only;
  if (failures.length > 1) {
    const issues: ConfigIssue[] = failures.flatMap((failure) =>
      failure.issues.map((issue) => ({
        keyPath: `${failure.position?.file ?? ''}: ${issue.keyPath || '(root)'}`,
        message: issue.message,
      })),
    );
    throw new ConfigError(`${failures.length} HL7 v2 mapping files are invalid`, issues);
  }
  return new Hl7MappingSet(rules);
}
