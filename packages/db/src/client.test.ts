import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aRollout, anEvent } from '../test/fixtures.ts';
import { type AviaryDb, createDb } from './client.ts';
import { SqliteHistoryStore } from './rollouts.repo.ts';

let dir: string;
let file: string;
const open: AviaryDb[] = [];
const connect = () => {
  const handle = createDb(file);
  open.push(handle);
  return handle;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aviary-db-'));
  // A folder that does not exist yet: createDb makes it, as on a fresh install.
  file = join(dir, 'data', 'nested', 'aviary.db');
});
afterEach(() => {
  for (const h of open.splice(0)) h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createDb on a file', () => {
  it('creates the folder and file, with WAL, foreign keys, busy timeout and synchronous NORMAL', () => {
    const { sqlite } = connect();
    expect(existsSync(file)).toBe(true);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('keeps the history across a restart and does not re-apply migrations', () => {
    const first = connect();
    const r = aRollout();
    new SqliteHistoryStore(first).create(r, [anEvent()]);
    const applied = first.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
    first.close();
    open.splice(open.indexOf(first), 1);

    const second = connect();
    const store = new SqliteHistoryStore(second);
    expect(store.get(r.id)).toEqual(r);
    expect(store.events(r.id, 10).map((e) => e.action)).toEqual(['created']);
    expect(second.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual(applied);
  });

  it('runs the migrations from the package, whatever the working directory', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { sqlite } = connect();
      expect(
        sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all(),
      ).toEqual([
        { name: 'audit_no_delete' },
        { name: 'audit_no_update' },
        { name: 'events_no_delete' },
        { name: 'events_no_update' },
      ]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('two connections to one file', () => {
  it("see each other's writes as soon as they commit", () => {
    const a = new SqliteHistoryStore(connect());
    const b = new SqliteHistoryStore(connect());
    const r = aRollout();
    a.create(r, [anEvent()]);
    expect(b.get(r.id)).toEqual(r);

    const moved = b.update(r.id, 1, { phase: 'progressing', weight: 1 }, [anEvent({ action: 'step' })]);
    expect(moved).not.toBeNull();
    expect(a.get(r.id)).toMatchObject({ version: 2, weight: 1 });
    // The other connection's version check sees the new version too.
    expect(a.update(r.id, 1, { weight: 50 }, [])).toBeNull();
  });

  it('hold the one-active-rollout rule between them', () => {
    const a = new SqliteHistoryStore(connect());
    const b = new SqliteHistoryStore(connect());
    const first = aRollout();
    a.create(first, []);
    expect(() => b.create(aRollout(), [])).toThrow(/already has an active rollout/);
    expect(b.update(first.id, 1, { phase: 'promoted' }, [])).not.toBeNull();
    expect(() => a.create(aRollout(), [])).not.toThrow();
  });
});

describe('a writer in another process', () => {
  it('makes this one wait for the lock (busy_timeout) instead of failing with SQLITE_BUSY', async () => {
    const store = new SqliteHistoryStore(connect());
    // Another process takes the write lock for ~1 s. better-sqlite3 blocks this thread while
    // it waits, so the holder has to live outside it.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 1000);`,
        file,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(holder.stdout, 'data');
    const started = Date.now();
    const r = aRollout();
    store.create(r, []);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(store.get(r.id)).toEqual(r);
    await once(holder, 'exit');
  });
});

describe('processes racing on one file', () => {
  const contender = fileURLToPath(new URL('../test/contender.ts', import.meta.url));
  const run = promisify(execFile);
  const race = async (rolloutId: string, n: number) => {
    const startAt = Date.now() + 1_500;
    const outputs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        run(process.execPath, ['--import', 'tsx', contender, file, String(startAt), rolloutId, `p${i}`]),
      ),
    );
    return outputs.map((o) => JSON.parse(o.stdout) as { label: string; updated: boolean; created: string });
  };

  it('migrate a fresh file together and let exactly one start a rollout for the target', async () => {
    const results = await race('none', 4);
    expect(results.map((r) => r.created).sort()).toEqual([
      'active-rollout-exists',
      'active-rollout-exists',
      'active-rollout-exists',
      'created',
    ]);
  });

  it('let exactly one of them move a rollout from the same version', async () => {
    const seed = connect();
    const r = aRollout();
    new SqliteHistoryStore(seed).create(r, [anEvent()]);

    const results = await race(r.id, 4);
    expect(results.filter((x) => x.updated)).toHaveLength(1);
    const store = new SqliteHistoryStore(seed);
    expect(store.get(r.id)?.version).toBe(2);
    expect(store.events(r.id, 10).map((e) => e.action)).toEqual(['created', 'set-weight']);
  });
});
