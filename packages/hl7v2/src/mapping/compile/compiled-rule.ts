import { LINEAGE_COLUMNS, type DatasetDefinition, type Row } from '@carelake/core';
import type { Hl7Segment } from '../../segment';
import type { MappingFile } from '../language/schema';
import type { MessageMapping } from '../mapping-context';
import type { SenderTimeZone } from '../sender-time-zone';
import { compileColumn, type CompiledColumn } from './compile-column';
import type { RowScope } from './row-scope';

/**
 * One mapping file, compiled: which messages it maps, how it finds the segments of each row,
 * and its columns as closures. Built once per run and applied to every message.
 */
export class CompiledRule {
  readonly table: string;
  /** Name of the mapping file, for messages. */
  readonly file: string;
  private readonly messageTypes: ReadonlySet<string> | undefined;
  private readonly each: string;
  private readonly contextSlots: ReadonlyMap<string, number>;
  private readonly followingSlots: ReadonlyMap<string, number>;
  private readonly columns: readonly CompiledColumn[];
  /** Dataset columns the file does not map; rows get null for them. */
  private readonly nullColumns: readonly string[];

  constructor(
    fileName: string,
    definition: MappingFile,
    dataset: DatasetDefinition | undefined,
    senderTimeZone: SenderTimeZone | undefined,
  ) {
    this.table = definition.table;
    this.file = fileName;
    this.messageTypes =
      definition.messages === undefined ? undefined : new Set(definition.messages);
    this.each = definition.each;
    this.contextSlots = new Map(definition.context.map((id, slot) => [id, slot]));
    this.followingSlots = new Map(definition.following.map((id, slot) => [id, slot]));

    const compiled = Object.entries(definition.columns).map(([name, column]) =>
      compileColumn(definition, name, column, senderTimeZone),
    );
    // Required columns first, so that a row left out costs little; copies last, after what they copy.
    this.columns = [
      ...compiled.filter((column) => column.required && !column.readsColumns),
      ...compiled.filter((column) => !column.required && !column.readsColumns),
      ...compiled.filter((column) => column.readsColumns),
    ];
    const mapped = new Set([...Object.keys(definition.columns), ...LINEAGE_COLUMNS]);
    this.nullColumns = dataset
      ? Object.keys(dataset.columns).filter((name) => !mapped.has(name))
      : [];
  }

  /** True when the file maps messages of this code and trigger event. */
  matches(mapping: MessageMapping): boolean {
    if (this.messageTypes === undefined) return true;
    const { messageCode, triggerEvent } = mapping.facts;
    return (
      this.messageTypes.has(messageCode) ||
      this.messageTypes.has(`${messageCode}^${triggerEvent ?? ''}`)
    );
  }

  /** Map one message to this file's rows; a row whose required column is null is left out. */
  mapRows(mapping: MessageMapping): Row[] {
    const rows: Row[] = [];
    for (const scope of this.rowScopes(mapping)) {
      const row: Row = {};
      let complete = true;
      for (const column of this.columns) {
        const value = column.evaluate(scope, row);
        if (value === null && column.required) {
          complete = false;
          break;
        }
        row[column.name] = value;
      }
      if (!complete) continue;
      Object.assign(row, mapping.lineage);
      for (const name of this.nullColumns) row[name] = null;
      rows.push(row);
    }
    return rows;
  }

  /**
   * Find the rows of a message in one pass. Each `each` segment starts a row. The row reads the
   * latest context segment of each id before it, and collects the following segments up to the
   * next `each` or context segment.
   */
  private rowScopes(mapping: MessageMapping): RowScope[] {
    const { message } = mapping;
    if (this.each === 'message') {
      return [
        {
          mapping,
          segment: message.header,
          rowNumber: 1,
          context: [],
          following: [],
          builtins: new Map(),
        },
      ];
    }

    const scopes: RowScope[] = [];
    const latestContext: Array<Hl7Segment | undefined> = new Array(this.contextSlots.size).fill(
      undefined,
    );
    let following: Hl7Segment[][] | undefined;
    for (const segment of message.segments) {
      if (segment.id === this.each) {
        following = Array.from({ length: this.followingSlots.size }, () => []);
        scopes.push({
          mapping,
          segment,
          rowNumber: scopes.length + 1,
          context: [...latestContext],
          following,
          builtins: new Map(),
        });
        continue;
      }
      const contextSlot = this.contextSlots.get(segment.id);
      if (contextSlot !== undefined) {
        latestContext[contextSlot] = segment;
        // A new context segment (another PID, another ORC) starts another group.
        following = undefined;
        continue;
      }
      const followingSlot = this.followingSlots.get(segment.id);
      if (following !== undefined && followingSlot !== undefined)
        following[followingSlot]?.push(segment);
    }
    return scopes;
  }
}
