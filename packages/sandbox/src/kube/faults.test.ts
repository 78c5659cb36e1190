import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, deployment, namespace, startTestServer } from './testing.ts';

let t: TestServer;
const deps = '/apis/apps/v1/namespaces/shop/deployments';
const controlled: string[] = [];

beforeAll(async () => {
  const control = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/_sandbox/extra') return false;
    controlled.push(req.method ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"extra":true}');
    return true;
  };
  t = await startTestServer({ control });
  await t.api('POST', '/api/v1/namespaces', namespace('shop'));
  await t.api('POST', deps, deployment('web', { replicas: 2 }));
});
afterEach(async () => {
  await t.api('DELETE', '/_sandbox/faults');
});
afterAll(() => t.close());

const addFault = async (spec: object) => {
  const res = await t.api('POST', '/_sandbox/faults', spec);
  expect(res.status).toBe(201);
  return res.body.id as string;
};

describe('fault injection', () => {
  it('fails matching requests with a Status for the code, for the given number of times', async () => {
    await addFault({ method: 'GET', path: '/deployments/web$', status: 503, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await t.api('GET', `${deps}/web`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    }
    expect((await t.api('GET', `${deps}/web`)).status).toBe(200);
  });

  it('only matches the given method and path', async () => {
    await addFault({ method: 'PUT', path: 'services', status: 500 });
    expect((await t.api('GET', `${deps}/web`)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/namespaces/shop/services')).status).toBe(200);
    const res = await t.api('PUT', '/api/v1/namespaces/shop/services/x', {});
    expect(res.status).toBe(500);
    expect(res.body.reason).toBe('InternalError');
  });

  it('answers 429 with Retry-After: 1', async () => {
    await addFault({ status: 429, times: 1 });
    const res = await t.api('GET', `${deps}/web`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.reason).toBe('TooManyRequests');
  });

  it('answers 409 as a Conflict on the named object and changes nothing', async () => {
    await addFault({ method: 'PATCH', status: 409, times: 1 });
    const res = await t.api(
      'PATCH',
      `${deps}/web`,
      { spec: { replicas: 7 } },
      'application/merge-patch+json',
    );
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('Conflict');
    expect(res.body.message).toContain(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified',
    );
    expect((await t.api('GET', `${deps}/web`)).body.spec.replicas).toBe(2);
  });

  it('delays a request and then serves it', async () => {
    await addFault({ path: 'deployments', delayMs: 150, times: 1 });
    const started = Date.now();
    const res = await t.api('GET', `${deps}/web`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection without an answer', async () => {
    await addFault({ path: 'deployments', drop: true, times: 1 });
    await expect(fetch(`${t.url}${deps}/web`)).rejects.toThrow();
    expect((await t.api('GET', `${deps}/web`)).status).toBe(200);
  });

  it('answers a silent request with 200 and then nothing, until the client gives up', async () => {
    await addFault({ path: 'deployments', silent: true, times: 1 });
    const abort = new AbortController();
    const res = await fetch(`${t.url}${deps}?watch=true`, { signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    const first = reader?.read();
    abort.abort();
    await expect(first).rejects.toThrow();
    expect((await t.api('GET', `${deps}/web`)).status).toBe(200);
  });

  it('lists faults and removes one by id', async () => {
    const a = await addFault({ path: 'a', status: 500 });
    const b = await addFault({ path: 'b', status: 503, times: 3 });
    const listed = (await t.api('GET', '/_sandbox/faults')).body.faults;
    expect(listed).toEqual([
      { id: a, path: 'a', status: 500, hits: 0 },
      { id: b, path: 'b', status: 503, times: 3, hits: 0 },
    ]);
    expect((await t.api('DELETE', `/_sandbox/faults/${a}`)).status).toBe(200);
    expect((await t.api('DELETE', `/_sandbox/faults/${a}`)).status).toBe(404);
    expect((await t.api('GET', '/_sandbox/faults')).body.faults.map((f: { id: string }) => f.id)).toEqual([
      b,
    ]);
  });

  it.each([{ status: 418 }, { path: '(', status: 500 }, { method: 'GET' }, { status: 500, times: 0 }])(
    'rejects the bad fault %j',
    async (spec) => {
      const res = await t.api('POST', '/_sandbox/faults', spec);
      expect(res.status).toBe(400);
      expect(res.body.kind).toBe('Status');
    },
  );

  it('hands other /_sandbox paths to the control hook, and 404s the rest', async () => {
    const res = await t.api('POST', '/_sandbox/extra');
    expect(res.body).toEqual({ extra: true });
    expect(controlled).toEqual(['POST']);
    expect((await t.api('GET', '/_sandbox/nothing')).status).toBe(404);
  });
});
