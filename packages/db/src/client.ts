import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

/** An open history database: the drizzle handle, the raw connection, and how to close both. */
export interface AviaryDb {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

// Resolved from this file, not the cwd: the API, the tests and scripts run from different folders.
const migrationsFolder = fileURLToPath(new URL('../drizzle/', import.meta.url));

/**
 * Open (creating if needed) the SQLite file at `file`, set the pragmas every connection needs,
 * and apply the committed migrations. Safe to call from several processes on the same file.
 */
export function createDb(file: string): AviaryDb {
  if (file !== ':memory:' && file !== '') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    // WAL lets readers (the dashboard, a second API process) run while one writer commits.
    sqlite.pragma('journal_mode = WAL');
    // SQLite ignores REFERENCES unless told otherwise, per connection.
    sqlite.pragma('foreign_keys = ON');
    // Wait for another connection's write lock instead of failing with SQLITE_BUSY at once.
    sqlite.pragma('busy_timeout = 5000');
    // With WAL, NORMAL is still crash-safe for the database; only the last commits may be lost on power loss.
    sqlite.pragma('synchronous = NORMAL');
    const db = drizzle({ client: sqlite, schema });
    migrateRacingOthers(db);
    return { db, sqlite, close: () => sqlite.close() };
  } catch (err) {
    sqlite.close();
    throw err;
  }
}

/**
 * drizzle's migrator reads the last applied migration before it opens its transaction, so when
 * two processes start on a fresh file together the slower one replays migrations the other has
 * just committed ("table already exists"). Running it again reads the new state and does nothing;
 * a migration that is itself broken still fails every attempt and is thrown.
 */
function migrateRacingOthers(db: Db, attempts = 3): void {
  for (let attempt = 1; ; attempt++) {
    try {
      migrate(db, { migrationsFolder });
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

/** A private in-memory database with the same migrations as production: for tests. */
export function createTestDb(): AviaryDb {
  return createDb(':memory:');
}
