import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { StreamMessage } from '@aviary/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events-bus.ts';
import { registerErrorHandler } from '../plugins/errors.ts';
import { type StreamOptions, streamRoutes } from './stream.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(bus: EventBus, opts: StreamOptions): Promise<string> {
  app = Fastify();
  registerErrorHandler(app);
  await app.register(streamRoutes(bus, opts));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Opens a stream; resolves with its status and a way to read what arrived so far. */
function open(url: string) {
  return new Promise<{ status: number; text: () => string; ended: Promise<void>; close: () => void }>(
    (resolve, reject) => {
      const req = httpRequest(`${url}/api/v1/stream`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        const ended = new Promise<void>((done) => res.on('close', () => done()));
        resolve({ status: res.statusCode ?? 0, text: () => text, ended, close: () => req.destroy() });
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const until = async (cond: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('event streams', () => {
  it('are capped per principal and in total, with 429 beyond', async () => {
    const url = await serve(new EventBus(), { perPrincipal: 2, total: 3 });
    const a = await open(url);
    const b = await open(url);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await open(url);
    expect(c.status).toBe(429);
    await c.ended;
    expect(JSON.parse(c.text()).error.code).toBe('too-many-streams');
    // Closing one frees its place.
    a.close();
    await a.ended;
    let d = await open(url);
    for (let i = 0; d.status !== 200 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      d = await open(url);
    }
    expect(d.status).toBe(200);
    b.close();
    d.close();
  });

  it('drop a client that does not read instead of buffering for it without bound', async () => {
    const bus = new EventBus();
    const url = new URL(await serve(bus, { perPrincipal: 5, total: 5, maxBufferBytes: 64 * 1024 }));
    const socket = connect(Number(url.port), url.hostname);
    socket.write(`GET /api/v1/stream HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    socket.pause();
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    await until(() => bus.subscribers === 1);
    const big = { type: 'event', event: { padding: 'x'.repeat(16 * 1024) } } as unknown as StreamMessage;
    for (let i = 0; i < 4000 && bus.subscribers > 0; i++) {
      bus.publish(big);
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(bus.subscribers).toBe(0);
    socket.resume();
    await closed;
  });

  it('end once the credential no longer holds', async () => {
    let revoked = false;
    const url = await serve(new EventBus(), {
      perPrincipal: 5,
      total: 5,
      checkEveryMs: 50,
      recheck: () => {
        if (revoked) throw new Error('this API token was revoked');
      },
    });
    const s = await open(url);
    await until(() => s.text().includes('keep-alive'));
    revoked = true;
    await s.ended;
    expect(s.text()).toMatch(/event: end\ndata: \{"reason":"this API token was revoked"\}/);
  });
});
