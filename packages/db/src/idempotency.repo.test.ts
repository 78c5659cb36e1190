import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AviaryDb, createTestDb } from './client.ts';
import { IdempotencyRepo, secretFieldIn } from './idempotency.repo.ts';

let handle: AviaryDb;
let now: Date;
let keys: IdempotencyRepo;

beforeEach(() => {
  handle = createTestDb();
  now = new Date('2025-03-01T12:00:00.000Z');
  keys = new IdempotencyRepo(handle, { now: () => now });
});
afterEach(() => handle.close());

const scope = 'POST /api/v1/rollouts';
const alice = 'user:alice-id';

describe('IdempotencyRepo', () => {
  it('runs a request once and replays its answer to every retry', () => {
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toEqual({ state: 'new' });
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toEqual({ state: 'in-flight' });

    expect(keys.finish(alice, 'k1', 201, { id: 'r-1', phase: 'starting' })).toBe(true);
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toEqual({
      state: 'replay',
      statusCode: 201,
      response: { id: 'r-1', phase: 'starting' },
    });
    // The first answer stays: a late second finish cannot overwrite it.
    expect(keys.finish(alice, 'k1', 500, { error: 'late' })).toBe(false);
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toMatchObject({ state: 'replay', statusCode: 201 });
  });

  it('treats the same key with another body or for another route as a mismatch', () => {
    keys.begin(alice, 'k1', scope, 'hash-a');
    expect(keys.begin(alice, 'k1', scope, 'hash-b')).toEqual({ state: 'mismatch' });
    expect(keys.begin(alice, 'k1', 'POST /api/v1/rollouts/:id/actions r-1', 'hash-a')).toEqual({
      state: 'mismatch',
    });
    keys.finish(alice, 'k1', 201, { id: 'r-1' });
    expect(keys.begin(alice, 'k1', scope, 'hash-b')).toEqual({ state: 'mismatch' });
  });

  it('lets a retry run after the first attempt was abandoned, but never abandons an answered key', () => {
    keys.begin(alice, 'k1', scope, 'hash-a');
    expect(keys.abandon(alice, 'k1')).toBe(true);
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toEqual({ state: 'new' });

    keys.finish(alice, 'k1', 200, null);
    expect(keys.abandon(alice, 'k1')).toBe(false);
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toEqual({
      state: 'replay',
      statusCode: 200,
      response: null,
    });
  });

  it('purges keys older than the cut-off, answered or stuck in flight', () => {
    keys.begin(alice, 'old-done', scope, 'h');
    keys.finish(alice, 'old-done', 200, {});
    keys.begin(alice, 'old-stuck', scope, 'h');
    now = new Date('2025-03-02T12:00:00.000Z');
    keys.begin(alice, 'fresh', scope, 'h');

    expect(keys.purgeOlderThan(new Date('2025-03-02T00:00:00.000Z'))).toBe(2);
    expect(keys.begin(alice, 'old-done', scope, 'h')).toEqual({ state: 'new' });
    expect(keys.begin(alice, 'fresh', scope, 'h')).toEqual({ state: 'in-flight' });
  });

  it("keeps each principal's keys apart: another caller's same key neither blocks nor replays", () => {
    keys.begin(alice, 'k1', scope, 'hash-a');
    keys.finish(alice, 'k1', 201, { id: 'r-1' });
    expect(keys.begin('user:mallory-id', 'k1', scope, 'hash-a')).toEqual({ state: 'new' });
    expect(keys.finish('user:mallory-id', 'k1', 201, { id: 'r-2' })).toBe(true);
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toMatchObject({ response: { id: 'r-1' } });
    expect(keys.begin('user:mallory-id', 'k1', scope, 'hash-a')).toMatchObject({ response: { id: 'r-2' } });
  });

  it('never stores an answer that holds a secret, and releases its key', () => {
    keys.begin(alice, 'k1', scope, 'hash-a');
    expect(keys.finish(alice, 'k1', 201, { id: 't-1', token: 'avt_secret' })).toBe(false);
    expect(keys.begin(alice, 'k1', scope, 'hash-a')).toEqual({ state: 'new' });
    expect(keys.finish(alice, 'k1', 200, { items: [{ user: { csrf_token: 'x' } }] })).toBe(false);
    expect(handle.sqlite.prepare('SELECT count(*) AS n FROM idempotency_keys').get()).toEqual({ n: 0 });
  });
});

describe('secretFieldIn', () => {
  it('finds credential fields at any depth, whatever their case or separator', () => {
    expect(secretFieldIn({ id: 'r-1', weight: 25, events: [{ actor: 'alice' }] })).toBeNull();
    expect(secretFieldIn({ token: 'x' })).toBe('token');
    expect(secretFieldIn({ me: { csrfToken: 'x' } })).toBe('me.csrfToken');
    expect(secretFieldIn([{ ok: 1 }, { Password: 'x' }])).toBe('[1].Password');
  });
});
