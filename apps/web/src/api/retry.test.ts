import { describe, expect, it } from 'vitest';
import { ApiError } from './ApiError.ts';
import { MAX_RETRIES, retryDelay, shouldRetry } from './retry.ts';

describe('shouldRetry', () => {
  it.each([
    ['network failure', new ApiError(0, 'network', 'down'), true],
    ['503 cluster unavailable', new ApiError(503, 'cluster-unavailable', 'x'), true],
    ['500', new ApiError(500, 'internal', 'x'), true],
    ['400 invalid request', new ApiError(400, 'invalid-request', 'x'), false],
    ['401 unauthorized', new ApiError(401, 'unauthorized', 'x'), false],
    ['403', new ApiError(403, 'forbidden', 'x'), false],
    ['404', new ApiError(404, 'rollout-not-found', 'x'), false],
    ['409 gate not passed', new ApiError(409, 'gate-not-passed', 'x'), false],
    ['a plain error', new Error('boom'), true],
  ])('%s → %s on the first failure', (_name, error, expected) => {
    expect(shouldRetry(0, error)).toBe(expected);
  });

  it('gives up after the maximum', () => {
    expect(shouldRetry(MAX_RETRIES, new ApiError(503, 'cluster-unavailable', 'x'))).toBe(false);
  });

  it('backs off exponentially with a cap', () => {
    expect([0, 1, 2, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 15_000]);
  });
});
