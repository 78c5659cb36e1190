import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { healthRoutes, withoutCredentials } from './health.ts';

describe('readiness', () => {
  it('logs why a check failed, without the credentials in its URL, and answers only its name', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({ logger: { level: 'warn', stream } });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(
      healthRoutes(
        [
          { name: 'database', check: async () => {} },
          {
            name: 'prometheus',
            check: async () => {
              throw new Error('http://ops:s3cret@prom:9090 answered 502');
            },
          },
        ],
        { version: 'test', sandbox: false, gateIntervalSeconds: 5, prometheus: true },
      ),
    );
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not-ready',
      checks: { database: { ok: true }, prometheus: { ok: false } },
    });
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'readiness check failed');
    expect(logged).toMatchObject({ check: 'prometheus', reason: 'http://***@prom:9090 answered 502' });
    expect(lines.join('')).not.toContain('s3cret');
    await app.close();
  });

  it('strips user:password@ from every URL in a message', () => {
    expect(withoutCredentials('a https://u:p@h/x and http://only-user@h2')).toBe(
      'a https://***@h/x and http://***@h2',
    );
    expect(withoutCredentials('no url here')).toBe('no url here');
  });
});
