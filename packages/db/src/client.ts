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
  /**
   * Run `fn` in one IMMEDIATE transaction: the write lock is taken up front, so a second process
   * waits (busy_timeout) rather than failing mid-transaction when it upgrades a read lock. Nested
   * calls become savepoints. drizzle's statements on `db` run on the same connection, so they are
   * part of it. (This is better-sqlite3's own transaction wrapper, made once per connection;
   * drizzle's `db.transaction` builds a whole database object per call, on every action's path.)
   */
  immediate<T>(fn: () => T): T;
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
    // Wait for another connection's lock instead of failing with SQLITE_BUSY at once.
    sqlite.pragma('busy_timeout = 5000');
    // WAL lets readers (the dashboard, a second API process) run while one writer commits.
    useWal(sqlite);
    // SQLite ignores REFERENCES unless told otherwise, per connection.
    sqlite.pragma('foreign_keys = ON');
    // With WAL, NORMAL is still crash-safe for the database; only the last commits may be lost on power loss.
    sqlite.pragma('synchronous = NORMAL');
    const db = drizzle({ client: sqlite, schema });
    migrateRacingOthers(db);
    const transaction = sqlite.transaction((fn: () => unknown) => fn());
    return {
      db,
      sqlite,
      immediate: <T>(fn: () => T) => transaction.immediate(fn) as T,
      close: () => sqlite.close(),
    };
  } catch (err) {
    sqlite.close();
    throw err;
  }
}

/**
 * Switch the file to WAL (a setting kept in the file). On a fresh file, processes starting
 * together race for the switch, and SQLite answers SQLITE_BUSY at once rather than calling the
 * busy handler (waiting could deadlock): try again for as long as busy_timeout would wait.
 */
function useWal(sqlite: Database.Database, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
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
