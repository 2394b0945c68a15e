import { ObjectExistsError, type ObjectStore } from '@carelake/storage';

/**
 * The runner's record of one input file, kept in `_state/ingest/`. An
 * entry is written once, after every table commit of the file succeeded, so a
 * file with an entry is never decoded again, under any name.
 */
export interface LedgerEntry {
  sha256: string;
  sizeBytes: number;
  landingKey: string;
  /** Every name the content was seen under, sorted. */
  sourceNames: string[];
  records: number;
  quarantined: number;
  rowsByTable: Record<string, number>;
}

export class IngestLedger {
  constructor(
    private readonly store: ObjectStore,
    private readonly pipeline: string,
  ) {}

  private keyOf(sha256: string): string {
    return `_state/ingest/${this.pipeline}/${sha256}.json`;
  }

  async get(sha256: string): Promise<LedgerEntry | undefined> {
    if (!(await this.store.head(this.keyOf(sha256)))) return undefined;
    return JSON.parse(Buffer.from(await this.store.get(this.keyOf(sha256))).toString('utf8')) as LedgerEntry;
  }

  /** Record a finished file. A second writer of the same entry keeps the first. */
  async record(entry: LedgerEntry): Promise<void> {
    try {
      await this.store.put(this.keyOf(entry.sha256), JSON.stringify(entry, null, 1), { ifNoneMatch: true });
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
    }
  }

  /** Add a name under which known content arrived again; nothing else changes. */
  async addSourceName(entry: LedgerEntry, sourceName: string): Promise<boolean> {
    if (entry.sourceNames.includes(sourceName)) return false;
    const updated = { ...entry, sourceNames: [...entry.sourceNames, sourceName].sort() };
    await this.store.put(this.keyOf(entry.sha256), JSON.stringify(updated, null, 1));
    return true;
  }
}
