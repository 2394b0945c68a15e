import type { Row } from '@carelake/core';
import type { MessageMapping } from '../mapping-context';
import type { CompiledRule } from './compiled-rule';

/** The mapping files of a run, compiled; `compileHl7Mappings` builds it. */
export class Hl7MappingSet {
  constructor(readonly rules: readonly CompiledRule[]) {}

  /** The tables the files feed, in the order their first file was given. */
  get tables(): string[] {
    return [...new Set(this.rules.map((rule) => rule.table))];
  }

  /** Map one message to the rows of every file that matches it, by table. */
  mapMessage(mapping: MessageMapping): Map<string, Row[]> {
    const rowsByTable = new Map<string, Row[]>();
    for (const rule of this.rules) {
      if (!rule.matches(mapping)) continue;
      const rows = rule.mapRows(mapping);
      if (rows.length === 0) continue;
      const existing = rowsByTable.get(rule.table);
      if (existing) existing.push(...rows);
      else rowsByTable.set(rule.table, rows);
    }
    return rowsByTable;
  }
}
