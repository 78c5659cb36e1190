import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOfApiError } from './exit-codes.ts';

describe('exitCodeOfApiError', () => {
  it.each([
    [401, 'unauthorized', ExitCode.denied],
    [403, 'forbidden', ExitCode.denied],
    [403, 'approval-self', ExitCode.denied],
    [409, 'change-frozen', ExitCode.blocked],
    [409, 'approval-pending', ExitCode.blocked],
    [409, 'gate-not-passed', ExitCode.error],
    [400, 'invalid-request', ExitCode.error],
    [503, 'cluster-unavailable', ExitCode.error],
  ])('%d %s exits %d', (status, code, exit) => expect(exitCodeOfApiError(status, code)).toBe(exit));

  it('keeps the documented numbers', () => {
    expect(ExitCode).toEqual({ ok: 0, error: 1, rolledBack: 2, timedOut: 3, blocked: 4, denied: 5 });
  });
});
