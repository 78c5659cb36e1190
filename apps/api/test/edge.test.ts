import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, call } from './access-harness.ts';
import { type Stack, startStack } from './harness.ts';

const proxy = '10.9.8.7';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { AVIARY_TRUSTED_PROXIES: proxy } });
}, 60_000);
afterAll(async () => stack?.stop());

describe('security headers', () => {
  it('forbid framing and sniffing and send no referrer, on answers, errors and 401s alike', async () => {
    for (const [url, headers] of [
      ['/api/v1/rollouts', admin],
      ['/api/v1/rollouts', {}],
      ['/api/v1/no-such-route', admin],
      ['/healthz', {}],
    ] as const) {
      const res = await call(stack, 'GET', url, { headers });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toMatch(/frame-ancestors 'none'/);
      expect(csp, url).toMatch(/script-src 'self'(;|$)/);
      expect(csp, url).toMatch(/object-src 'none'/);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('send HSTS only on answers that went out over HTTPS', async () => {
    const plain = await call(stack, 'GET', '/healthz');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const viaTls = await call(stack, 'GET', '/healthz', {
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: proxy,
    });
    expect(viaTls.headers['strict-transport-security']).toMatch(/max-age=\d{7,}; includeSubDomains/);
    const spoofed = await call(stack, 'GET', '/healthz', {
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '192.0.2.1',
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });
});
