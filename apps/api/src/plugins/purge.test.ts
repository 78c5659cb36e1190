import { type AviaryDb, IdempotencyRepo, SessionsRepo, createTestDb } from '@aviary/db';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeExpired } from './purge.ts';

let handle: AviaryDb;
let now: Date;
const clock = { now: () => now };

beforeEach(() => {
  handle = createTestDb();
  now = new Date('2026-03-01T12:00:00.000Z');
});
afterEach(() => handle.close());

const session = (idHash: string, expiresAt: string) => ({
  idHash,
  userId: null,
  tokenId: null,
  actor: 'admin',
  bootstrapFingerprint: 'fp',
  role: 'admin' as const,
  csrfToken: 'csrf',
  createdAt: '2026-03-01T00:00:00.000Z',
  lastSeenAt: '2026-03-01T00:00:00.000Z',
  expiresAt,
});

const count = (table: string) =>
  (handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('purgeExpired', () => {
  it('deletes expired sessions and day-old idempotency keys when ready, then periodically, until closed', async () => {
    const sessions = new SessionsRepo(handle);
    const idempotency = new IdempotencyRepo(handle, clock);
    sessions.create(session('ended', '2026-03-01T11:59:59.000Z'));
    sessions.create(session('live', '2026-03-02T13:00:00.000Z'));
    idempotency.begin('bootstrap', 'old', 'POST /api/v1/rollouts {}', 'h');
    now = new Date('2026-03-02T11:00:00.000Z');
    idempotency.begin('bootstrap', 'recent', 'POST /api/v1/rollouts {}', 'h');
    now = new Date('2026-03-02T12:00:01.000Z');

    const app = Fastify();
    await app.register(purgeExpired({ idempotency, sessions, everyMs: 20, clock }));
    await app.ready();
    // The first sweep runs at once: `old` is a day and a second old, `ended` has ended.
    expect(count('idempotency_keys')).toBe(1);
    expect(handle.sqlite.prepare('SELECT id_hash AS id FROM sessions').all()).toEqual([{ id: 'live' }]);

    now = new Date('2026-03-03T11:00:01.000Z'); // `recent` is now a day old, `live` ended.
    await until(() => count('idempotency_keys') === 0);
    await until(() => count('sessions') === 0);

    await app.close();
    sessions.create(session('after-close', '2026-03-01T00:00:00.000Z'));
    await new Promise((r) => setTimeout(r, 200));
    expect(count('sessions')).toBe(1);
  });
});
