import type { CatalogTable } from '../catalog';

/** A table that matches every search word, with where each match was found. */
export interface SearchHit {
  table: CatalogTable;
  score: number;
  /** Fields the words matched, such as `name`, `column birth_date`, `tag domain`, `description`. */
  matches: string[];
}

// A word in a table's name says more about the table than one in a column, a tag or its prose.
const WEIGHTS = { name: 8, column: 4, tag: 3, description: 2, columnDescription: 1 } as const;

interface Field {
  label: string;
  weight: number;
  text: string;
}

/**
 * Finds the tables that contain every word (case-insensitive, anywhere in a word) in their name,
 * description, tags, steward metadata, or column names, vocabularies and descriptions. Best match
 * comes first, then tables by name.
 */
export function searchTables(tables: readonly CatalogTable[], query: string): SearchHit[] {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 0) return [];

  const hits: SearchHit[] = [];
  for (const table of tables) {
    const hit = matchTable(table, words);
    if (hit) hits.push(hit);
  }
  return hits.sort((a, b) => b.score - a.score || qualifiedName(a.table).localeCompare(qualifiedName(b.table)));
}

function matchTable(table: CatalogTable, words: readonly string[]): SearchHit | undefined {
  const fields = searchableFields(table);
  let score = 0;
  const matches = new Set<string>();

  for (const word of words) {
    const found = fields.filter((field) => field.text.includes(word));
    if (found.length === 0) return undefined;
    for (const field of found) {
      score += field.weight;
      matches.add(field.label);
    }
  }
  return { table, score, matches: [...matches] };
}

function searchableFields(table: CatalogTable): Field[] {
  const fields: Field[] = [
    { label: 'name', weight: WEIGHTS.name, text: qualifiedName(table).toLowerCase() },
    { label: 'description', weight: WEIGHTS.description, text: (table.description ?? '').toLowerCase() },
  ];
  for (const [key, value] of Object.entries(table.parameters)) {
    if (!key.startsWith('carelake.')) continue;
    const label = key.startsWith('carelake.tag.') ? `tag ${key.slice('carelake.tag.'.length)}` : key.slice('carelake.'.length);
    fields.push({ label, weight: WEIGHTS.tag, text: `${label} ${value}`.toLowerCase() });
  }
  for (const column of [...table.columns, ...table.partitionKeys]) {
    fields.push({ label: `column ${column.name}`, weight: WEIGHTS.column, text: column.name });
    const vocabulary = column.parameters['carelake.vocabulary'];
    if (vocabulary) {
      fields.push({ label: `column ${column.name}`, weight: WEIGHTS.column, text: `vocabulary ${vocabulary}`.toLowerCase() });
    }
    if (column.comment) {
      fields.push({ label: `column ${column.name}`, weight: WEIGHTS.columnDescription, text: column.comment.toLowerCase() });
    }
  }
  return fields;
}

function qualifiedName(table: CatalogTable): string {
  return `${table.database}.${table.name}`;
}
