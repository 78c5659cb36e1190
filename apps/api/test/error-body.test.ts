import { ErrorBody, errorStatus } from '@aviary/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, token } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  // Without the dashboard: its catch-all route would answer an over-long path segment first.
  stack = await startStack({ env: { AVIARY_WEB_ROOT: '/nonexistent/aviary-web' } });
}, 60_000);
afterAll(async () => stack?.stop());

/** A raw request, so the test can send what a well-behaved client never would. */
async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(stack.server.url + path, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const json = { 'content-type': 'application/json' };

describe('error bodies', () => {
  it.each([
    [
      'broken JSON',
      '/api/v1/rollouts',
      { method: 'POST', headers: json, body: '{"namespace":' },
      'malformed-body',
    ],
    ['an empty JSON body', '/api/v1/rollouts', { method: 'POST', headers: json, body: '' }, 'malformed-body'],
    [
      'a body over the limit',
      '/api/v1/rollouts',
      { method: 'POST', headers: json, body: JSON.stringify({ reason: 'x'.repeat(300 * 1024) }) },
      'payload-too-large',
    ],
    [
      'a body that is not JSON',
      '/api/v1/rollouts',
      { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<namespace/>' },
      'unsupported-media-type',
    ],
    ['a URL that does not decode', '/api/v1/rollouts/%E0%A4%A', {}, 'bad-request'],
    ['a path segment over the length limit', `/api/v1/rollouts/${'a'.repeat(500)}`, {}, 'uri-too-long'],
    ['an unknown route', '/api/v1/nothing-here', {}, 'not-found'],
    [
      'headers over the size limit',
      '/api/v1/rollouts',
      { headers: { 'x-big': 'a'.repeat(20_000) } },
      'headers-too-large',
    ],
  ] as const)('answers %s with its code from the enum and its status', async (_, path, init, code) => {
    const res = await raw(path, init);
    expect(res.body.error.code).toBe(code);
    expect(res.status).toBe(errorStatus[code]);
    expect(ErrorBody.strict().safeParse(res.body).success).toBe(true);
  });
});
