import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AviaryDb, createTestDb } from './client.ts';
import { IdempotencyRepo } from './idempotency.repo.ts';

let handle: AviaryDb;
let now: Date;
let keys: IdempotencyRepo;

beforeEach(() => {
  handle = createTestDb();
  now = new Date('2025-03-01T12:00:00.000Z');
  keys = new IdempotencyRepo(handle, { now: () => now });
});
afterEach(() => handle.close());

const scope = 'POST /api/v1/rollouts alice';

describe('IdempotencyRepo', () => {
  it('runs a request once and replays its answer to every retry', () => {
    expect(keys.begin('k1', scope, 'hash-a')).toEqual({ state: 'new' });
    expect(keys.begin('k1', scope, 'hash-a')).toEqual({ state: 'in-flight' });

    expect(keys.finish('k1', 201, { id: 'r-1', phase: 'starting' })).toBe(true);
    expect(keys.begin('k1', scope, 'hash-a')).toEqual({
      state: 'replay',
      statusCode: 201,
      response: { id: 'r-1', phase: 'starting' },
    });
    // The first answer stays: a late second finish cannot overwrite it.
    expect(keys.finish('k1', 500, { error: 'late' })).toBe(false);
    expect(keys.begin('k1', scope, 'hash-a')).toMatchObject({ state: 'replay', statusCode: 201 });
  });

  it('treats the same key with another body or another caller as a mismatch', () => {
    keys.begin('k1', scope, 'hash-a');
    expect(keys.begin('k1', scope, 'hash-b')).toEqual({ state: 'mismatch' });
    expect(keys.begin('k1', 'POST /api/v1/rollouts mallory', 'hash-a')).toEqual({ state: 'mismatch' });
    keys.finish('k1', 201, { id: 'r-1' });
    expect(keys.begin('k1', scope, 'hash-b')).toEqual({ state: 'mismatch' });
  });

  it('lets a retry run after the first attempt was abandoned, but never abandons an answered key', () => {
    keys.begin('k1', scope, 'hash-a');
    expect(keys.abandon('k1')).toBe(true);
    expect(keys.begin('k1', scope, 'hash-a')).toEqual({ state: 'new' });

    keys.finish('k1', 200, null);
    expect(keys.abandon('k1')).toBe(false);
    expect(keys.begin('k1', scope, 'hash-a')).toEqual({ state: 'replay', statusCode: 200, response: null });
  });

  it('purges keys older than the cut-off, answered or stuck in flight', () => {
    keys.begin('old-done', scope, 'h');
    keys.finish('old-done', 200, {});
    keys.begin('old-stuck', scope, 'h');
    now = new Date('2025-03-02T12:00:00.000Z');
    keys.begin('fresh', scope, 'h');

    expect(keys.purgeOlderThan(new Date('2025-03-02T00:00:00.000Z'))).toBe(2);
    expect(keys.begin('old-done', scope, 'h')).toEqual({ state: 'new' });
    expect(keys.begin('fresh', scope, 'h')).toEqual({ state: 'in-flight' });
  });
});
