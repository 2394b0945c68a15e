import type { CatalogTable } from '../catalog';
import { columnFacts, tableFacts } from './table-facts';

export const DICTIONARY_FORMATS = ['markdown', 'html'] as const;
export type DictionaryFormat = (typeof DICTIONARY_FORMATS)[number];

export interface DataDictionaryOptions {
  title?: string;
  /** Shown under the title, such as the time of export. Left out, nothing is shown. */
  subtitle?: string;
}

/**
 * Renders the catalog as a data dictionary: a contents list, then each table with its steward
 * metadata and every column with its type, classification, identifier kind, vocabulary and
 * description. Tables come in database and name order.
 */
export function renderDataDictionary(
  tables: readonly CatalogTable[],
  format: DictionaryFormat,
  options: DataDictionaryOptions = {},
): string {
  const sorted = [...tables].sort((a, b) => anchorOf(a).localeCompare(anchorOf(b)));
  const title = options.title ?? 'Data dictionary';
  return format === 'markdown' ? renderMarkdown(sorted, title, options.subtitle) : renderHtml(sorted, title, options.subtitle);
}

function anchorOf(table: CatalogTable): string {
  return `${table.database}.${table.name}`;
}

function renderMarkdown(tables: readonly CatalogTable[], title: string, subtitle: string | undefined): string {
  const lines = [`# ${markdownText(title)}`, ''];
  if (subtitle) lines.push(markdownText(subtitle), '');
  lines.push(`${tables.length} tables.`, '');
  for (const table of tables) {
    lines.push(`- [${anchorOf(table)}](#${markdownAnchor(anchorOf(table))}): ${markdownText(firstSentence(table.description))}`);
  }

  for (const table of tables) {
    lines.push('', `## ${anchorOf(table)}`, '');
    if (table.description) lines.push(markdownText(table.description.trim()), '');
    for (const [label, value] of tableFacts(table)) lines.push(`- ${label}: ${markdownText(value)}`);
    lines.push('', '| Column | Type | Classification | Identifier | Vocabulary | Description |', '| --- | --- | --- | --- | --- | --- |');
    for (const column of columnFacts(table)) {
      const name = column.partitionKey ? `${column.name} (partition)` : column.name;
      const cells = [name, column.type, column.classification, column.identifier, column.vocabulary, column.description];
      lines.push(`| ${cells.map(markdownText).join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderHtml(tables: readonly CatalogTable[], title: string, subtitle: string | undefined): string {
  const parts = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${html(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${html(title)}</h1>`,
  ];
  if (subtitle) parts.push(`<p class="subtitle">${html(subtitle)}</p>`);
  parts.push(`<nav><p>${tables.length} tables.</p><ul>`);
  for (const table of tables) {
    parts.push(`<li><a href="#${html(anchorOf(table))}">${html(anchorOf(table))}</a> ${html(firstSentence(table.description))}</li>`);
  }
  parts.push('</ul></nav>');

  for (const table of tables) {
    parts.push(`<section id="${html(anchorOf(table))}">`, `<h2>${html(anchorOf(table))}</h2>`);
    if (table.description) parts.push(`<p>${html(table.description.trim())}</p>`);
    parts.push('<dl>');
    for (const [label, value] of tableFacts(table)) parts.push(`<dt>${html(label)}</dt><dd>${html(value)}</dd>`);
    parts.push('</dl>', '<table>', '<thead><tr><th>Column</th><th>Type</th><th>Classification</th><th>Identifier</th><th>Vocabulary</th><th>Description</th></tr></thead>', '<tbody>');
    for (const column of columnFacts(table)) {
      const name = column.partitionKey ? `${html(column.name)} <em>(partition)</em>` : html(column.name);
      const classification = column.classification
        ? `<span class="classification ${html(column.classification)}">${html(column.classification)}</span>`
        : '';
      parts.push(
        `<tr><td><code>${name}</code></td><td>${html(column.type)}</td><td>${classification}</td>` +
          `<td>${html(column.identifier)}</td><td>${html(column.vocabulary)}</td><td>${html(column.description)}</td></tr>`,
      );
    }
    parts.push('</tbody>', '</table>', '</section>');
  }
  parts.push('</body>', '</html>');
  return `${parts.join('\n')}\n`;
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}',
  'table{border-collapse:collapse;width:100%;margin:1rem 0}',
  'th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f2f2f2}',
  'dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}',
  'dt{font-weight:600}',
  '.subtitle{color:#555}',
  '.classification{border-radius:.3rem;padding:0 .3rem}',
  '.phi{background:#f8d7da}',
  '.limited{background:#fff3cd}',
  '.deidentified{background:#d1ecf1}',
  '.public{background:#d4edda}',
].join('');

function firstSentence(text: string | undefined): string {
  const trimmed = (text ?? '').trim().replace(/\s+/g, ' ');
  const end = trimmed.search(/\.(\s|$)/);
  return end === -1 ? trimmed : trimmed.slice(0, end + 1);
}

function markdownText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** Returns the anchor that GitHub's Markdown renderer derives from a heading. */
function markdownAnchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
