import { parseTableName, type ColumnDefinition, type DatasetDefinition } from '@carelake/core';
import type { ColumnInput, TableInput } from './catalog';
import { InvalidTableInputError } from './errors';

/**
 * Build the catalog table for a dataset file. Partition columns become
 * `partitionKeys` and are left out of `columns`, as Glue requires. Steward
 * metadata goes into `carelake.*` parameters. Nothing volatile (no timestamp,
 * no run id) goes in, so that registering the same dataset twice is a no-op.
 */
export function tableInputFromDataset(dataset: DatasetDefinition, location: string): TableInput {
  const { database, table } = parseTableName(dataset.table);
  const partitionColumns = new Set(dataset.partitionBy);

  const columns = Object.entries(dataset.columns)
    .filter(([name]) => !partitionColumns.has(name))
    .map(([name, definition]) => columnInput(name, definition));
  const partitionKeys = dataset.partitionBy.map((name, index) => {
    const definition = dataset.columns[name];
    // datasetSchema already rejects this, so only a definition built without that schema gets here.
    if (!definition) {
      const message = `partitionBy column "${name}" of ${dataset.table} is not declared under columns`;
      throw new InvalidTableInputError(message, [{ keyPath: `partitionBy[${index}]`, message }]);
    }
    return columnInput(name, definition);
  });

  return {
    database,
    name: table,
    // A folded YAML scalar (`description: >`) ends with a newline that is not part of the text.
    description: dataset.description.trim(),
    tableType: 'EXTERNAL_TABLE',
    location,
    columns,
    partitionKeys,
    parameters: tableParameters(dataset),
  };
}

function tableParameters(dataset: DatasetDefinition): Record<string, string> {
  const parameters: Record<string, string> = {
    // The table property in which Glue records a table's data format.
    classification: 'parquet',
    'carelake.classification': dataset.classification,
    'carelake.kind': dataset.kind,
  };
  if (dataset.owner !== undefined) parameters['carelake.owner'] = dataset.owner;
  if (dataset.steward !== undefined) parameters['carelake.steward'] = dataset.steward;
  if (dataset.retention !== undefined) parameters['carelake.retention'] = dataset.retention;
  if (dataset.source !== undefined) {
    parameters['carelake.source.pipeline'] = dataset.source.pipeline;
    if (dataset.source.inputs.length > 0) parameters['carelake.source.inputs'] = dataset.source.inputs.join(',');
  }
  if (dataset.domain !== undefined) parameters['carelake.domain'] = dataset.domain;
  if (dataset.key.length > 0) parameters['carelake.key'] = dataset.key.join(',');
  if (dataset.updateFrequency !== undefined)
    parameters['carelake.update_frequency'] = dataset.updateFrequency;
  for (const [tag, value] of Object.entries(dataset.tags)) {
    parameters[`carelake.tag.${tag}`] = value;
  }
  return parameters;
}

function columnInput(name: string, definition: ColumnDefinition): ColumnInput {
  const parameters: Record<string, string> = {};
  if (definition.classification !== undefined)
    parameters['carelake.classification'] = definition.classification;
  if (definition.identifier !== undefined)
    parameters['carelake.identifier'] = definition.identifier;
  if (definition.vocabulary !== undefined)
    parameters['carelake.vocabulary'] = definition.vocabulary;

  const column: ColumnInput = { name, type: definition.type, parameters };
  if (definition.description !== undefined) column.comment = definition.description;
  return column;
}
