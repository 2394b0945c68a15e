import type { Database } from 'better-sqlite3';
import type { Clock } from '@carelake/core';
import { checkSavedQueryInput, type SavedQuery, type SavedQueryInput, type SavedQueryStore } from '../saved-queries';

interface SavedQueryRow {
  name: string;
  sql: string;
  description: string | null;
  saved_by: string;
  created_at: string;
  updated_at: string;
}

/** Saved queries in the `saved_queries` table of the local catalog file. */
export class SqliteSavedQueries implements SavedQueryStore {
  constructor(
    private readonly connection: () => Database,
    private readonly clock: Clock,
  ) {}

  async saveQuery(input: SavedQueryInput): Promise<{ created: boolean; changed: boolean }> {
    checkSavedQueryInput(input);
    const db = this.connection();
    return db
      .transaction(() => {
        const now = this.clock.now().toISOString();
        const existing = db.prepare('SELECT * FROM saved_queries WHERE name = ?').get(input.name) as SavedQueryRow | undefined;
        if (!existing) {
          db.prepare('INSERT INTO saved_queries (name, sql, description, saved_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
            input.name,
            input.sql,
            input.description ?? null,
            input.savedBy,
            now,
            now,
          );
          return { created: true, changed: true };
        }
        if (existing.sql === input.sql && existing.description === (input.description ?? null)) return { created: false, changed: false };

        db.prepare('UPDATE saved_queries SET sql = ?, description = ?, saved_by = ?, updated_at = ? WHERE name = ?').run(
          input.sql,
          input.description ?? null,
          input.savedBy,
          now,
          input.name,
        );
        return { created: false, changed: true };
      })
      .immediate();
  }

  async getSavedQuery(name: string): Promise<SavedQuery | undefined> {
    const row = this.connection().prepare('SELECT * FROM saved_queries WHERE name = ?').get(name) as SavedQueryRow | undefined;
    return row ? savedQueryOf(row) : undefined;
  }

  async listSavedQueries(): Promise<SavedQuery[]> {
    const rows = this.connection().prepare('SELECT * FROM saved_queries ORDER BY name').all() as SavedQueryRow[];
    return rows.map(savedQueryOf);
  }

  async deleteSavedQuery(name: string): Promise<{ deleted: boolean }> {
    const result = this.connection().prepare('DELETE FROM saved_queries WHERE name = ?').run(name);
    return { deleted: result.changes > 0 };
  }
}

function savedQueryOf(row: SavedQueryRow): SavedQuery {
  const query: SavedQuery = {
    name: row.name,
    sql: row.sql,
    savedBy: row.saved_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
  if (row.description !== null) query.description = row.description;
  return query;
}
