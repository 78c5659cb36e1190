import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from './client.ts';
import { PrometheusError } from './errors.ts';

interface Seen {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
}

// A loopback HTTP server standing in for Prometheus' API: it records what the client sent and
// answers what each test asks for.
let server: Server;
let base: string;
let seen: Seen[] = [];
let respond: (req: Seen, res: ServerResponse) => void = () => {};

const vector = (value: string) =>
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: {}, value: [1, value] }] },
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      const s = { method: req.method ?? '', path: url.pathname, params, headers: req.headers };
      seen.push(s);
      respond(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function answer(status: number, body: string, contentType = 'application/json') {
  seen = [];
  respond = (_req, res) => res.writeHead(status, { 'content-type': contentType }).end(body);
}

async function rejection(p: Promise<unknown>): Promise<PrometheusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PrometheusError);
  return err as PrometheusError;
}

describe('PrometheusClient', () => {
  it('GETs short instant queries with time and an evaluation timeout', async () => {
    answer(200, vector('+Inf'));
    const client = new PrometheusClient({ url: `${base}/`, timeoutMs: 2_500 });
    const r = await client.query('up', new Date(1_700_000_000_500));
    expect(r.resultType === 'vector' && r.result[0]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.path).toBe('/api/v1/query');
    expect(Object.fromEntries(seen[0]!.params)).toEqual({
      query: 'up',
      time: '1700000000.5',
      timeout: '2.5',
    });
  });

  it('POSTs a form body for long queries, which proxies would cut off in a URL', async () => {
    answer(200, vector('1'));
    const long = `sum(up{job=~"${'a|'.repeat(2_000)}b"})`;
    await new PrometheusClient({ url: base }).query(long);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]?.params.get('query')).toBe(long);
  });

  it('keeps a path prefix and turns URL credentials into basic auth', async () => {
    answer(200, vector('1'));
    const url = new URL(base);
    const client = new PrometheusClient({ url: `http://al%40ice:s3cret@${url.host}/prom` });
    await client.query('up');
    expect(seen[0]?.path).toBe('/prom/api/v1/query');
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('al@ice:s3cret').toString('base64')}`);
  });

  it('sends range queries with start, end and step and returns the matrix', async () => {
    answer(
      200,
      JSON.stringify({
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: { a: 'b' }, values: [[10, 'NaN']] }] },
      }),
    );
    const r = await new PrometheusClient({ url: base }).queryRange(
      'up',
      new Date(10_000),
      new Date(70_000),
      15,
    );
    expect(r.result[0]?.values[0]?.value).toBeNaN();
    expect(seen[0]?.path).toBe('/api/v1/query_range');
    expect(seen[0]?.params.get('start')).toBe('10');
    expect(seen[0]?.params.get('end')).toBe('70');
    expect(seen[0]?.params.get('step')).toBe('15');
  });

  it("surfaces Prometheus' own message and status when it rejects a query", async () => {
    answer(
      400,
      JSON.stringify({
        status: 'error',
        errorType: 'bad_data',
        error: '1:5: parse error: unclosed left parenthesis',
      }),
    );
    const err = await rejection(new PrometheusClient({ url: base }).query('sum(up'));
    expect(err).toMatchObject({ kind: 'bad_data', status: 400, rejectedQuery: true });
    expect(err.message).toBe('1:5: parse error: unclosed left parenthesis');
  });

  it('gives up after timeoutMs with kind "timeout"', async () => {
    seen = [];
    respond = () => {}; // never answers
    const started = Date.now();
    const err = await rejection(new PrometheusClient({ url: base, timeoutMs: 200 }).query('up'));
    expect(err.kind).toBe('timeout');
    expect(err.status).toBeNull();
    expect(err.message).toContain('did not answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a closed port as "unreachable" with the socket error, never a raw TypeError', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const client = new PrometheusClient({ url: `http://127.0.0.1:${port}` });
    const err = await rejection(client.query('up'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toMatch(/cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(await client.ready()).toBe(false);
  });

  it('wraps whatever an injected fetch throws', async () => {
    const fetch: typeof globalThis.fetch = () => Promise.reject(new Error('boom'));
    const err = await rejection(new PrometheusClient({ url: base, fetch }).query('up'));
    expect(err).toMatchObject({ kind: 'unreachable', message: `cannot reach Prometheus at ${base}: boom` });
  });

  it('ready() is true only for a 200 from /-/ready', async () => {
    answer(200, 'Prometheus Server is Ready.\n', 'text/plain');
    expect(await new PrometheusClient({ url: base }).ready()).toBe(true);
    expect(seen[0]?.path).toBe('/-/ready');
    answer(503, 'Service Unavailable', 'text/plain');
    expect(await new PrometheusClient({ url: base }).ready()).toBe(false);
  });
});
