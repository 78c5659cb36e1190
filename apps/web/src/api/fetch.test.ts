import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatWait, describeError } from './ApiError.ts';
import { getCsrfToken, setCsrfToken } from './csrf.ts';
import { apiFetch } from './fetch.ts';

type Call = { url: string; method: string; headers: Record<string, string> };

function fakeApi(responses: Response[]): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string> });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next;
  });
  return calls;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('apiFetch and the session', () => {
  it('sends the CSRF token on changes, not on reads, and never a bearer token', async () => {
    setCsrfToken('c1');
    const calls = fakeApi([json(200, {}), json(200, {})]);
    await apiFetch('/api/v1/targets');
    await apiFetch('/api/v1/rollouts', { method: 'POST', body: {} });
    expect(calls[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(calls[1]?.headers['x-csrf-token']).toBe('c1');
    expect(calls.some((c) => 'authorization' in c.headers)).toBe(false);
  });

  it('on a stale CSRF token asks /auth/me for a fresh one and retries once', async () => {
    setCsrfToken('old');
    const stale = { error: { code: 'csrf-token-invalid', message: 'send it' } };
    const calls = fakeApi([json(403, stale), json(200, { csrfToken: 'new' }), json(200, { ok: true })]);
    await expect(apiFetch('/api/v1/settings', { method: 'PUT', body: {} })).resolves.toEqual({ ok: true });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'PUT /api/v1/settings',
      'GET /api/v1/auth/me',
      'PUT /api/v1/settings',
    ]);
    expect(calls[2]?.headers['x-csrf-token']).toBe('new');
    expect(getCsrfToken()).toBe('new');
  });

  it('a 429 carries Retry-After and says when to try again', async () => {
    fakeApi([json(429, { error: { code: 'too-many-attempts', message: 'wait' } }, { 'retry-after': '75' })]);
    const err = await apiFetch('/api/v1/auth/login', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(describeError(err).message).toContain('try again in 1 min 15 s');
  });

  it('a 403 for the role says which role is needed', async () => {
    const message = 'this needs the operator role and vic has viewer; ask an admin for operator access';
    fakeApi([json(403, { error: { code: 'forbidden', message } })]);
    const err = await apiFetch('/api/v1/rollouts', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(describeError(err)).toEqual({ title: 'Not allowed for your role', message: `${message}.` });
  });

  it('formats waits', () => {
    expect([5, 60, 75, 900].map(formatWait)).toEqual(['5 s', '1 min', '1 min 15 s', '15 min']);
  });
});
