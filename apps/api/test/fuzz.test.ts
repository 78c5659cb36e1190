import { Agent, request } from 'node:http';
import { createDb } from '@aviary/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type FuzzRequest, type Route, fuzzRequest } from './fuzz-inputs.ts';
import { type Json, type Stack, startRollout, startStack } from './harness.ts';

/**
 * Thousands of hostile requests against the real app listening on a port, across every route
 * the OpenAPI document lists. The API must answer each with a status below 500 and a JSON error
 * body where it refuses, never drop a connection, and change nothing: the requests carry no valid
 * credentials, or a viewer's or operator's token with inputs that are invalid by construction.
 */
const REQUESTS = 3_200;
const CONCURRENCY = 16;
const SEED = 20_261_129;

let stack: Stack;
let creds: Credentials;
let routes: Route[];

/** Rows that change by themselves while the API runs, and why they may. */
const volatile: Record<string, string[] | 'all'> = {
  // The guard samples metrics of the active rollout on its own schedule.
  metric_points: 'all',
  // A token's last use is bookkeeping about the request, not state it changed.
  api_tokens: ['last_used_at'],
  // A stored answer for an Idempotency-Key is what the key promises, not a change.
  idempotency_keys: 'all',
};

function snapshot(file: string): Record<string, unknown[]> {
  const { sqlite, close } = createDb(file);
  try {
    const tables = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      const skip = volatile[name];
      if (skip === 'all') continue;
      const rows = sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Record<
        string,
        unknown
      >[];
      out[name] = rows.map((row) => {
        for (const column of skip ?? []) delete row[column];
        return row;
      });
    }
    return out;
  } finally {
    close();
  }
}

interface Outcome {
  request: FuzzRequest;
  status?: number;
  contentType?: string;
  body?: string;
  dropped?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(port: number, req: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Omit<Outcome, 'request'>) => {
      if (settled) return;
      settled = true;
      resolve({ request: req, ...o });
    };
    let r: ReturnType<typeof request>;
    try {
      r = request({
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.path,
        // Node frames a DELETE's or OPTIONS' body only when told its length; unframed, the body
        // would reach the server as a second, broken request.
        headers:
          req.body === undefined
            ? req.headers
            : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        agent,
      });
    } catch (err) {
      // The client itself refused to send it (an invalid path or header): not the server's doing.
      return done({ status: 0, body: String(err) });
    }
    r.setTimeout(20_000, () => r.destroy(new Error('no answer in 20 s')));
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      const type = String(res.headers['content-type'] ?? '');
      // An event stream stays open by design: its status and headers are the answer.
      if (type.startsWith('text/event-stream')) {
        done({ status: res.statusCode ?? 0, contentType: type });
        r.destroy();
        return;
      }
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          contentType: type,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (err) => done({ dropped: `response: ${err.message}` }));
    });
    r.on('error', (err) => done({ dropped: err.message }));
    r.end(req.body);
  });
}

async function runAll(port: number, requests: FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        outcomes.push(await send(port, req));
      }
    }),
  );
  return outcomes;
}

beforeAll(async () => {
  // With Prometheus, so that /readyz is ready and any 5xx is a fault.
  // Bad tokens come from one address throughout: no growing delay for them here.
  stack = await startStack({
    rps: 2,
    prometheus: true,
    env: { AVIARY_TOKEN_FAILURES_PER_ADDRESS: '1000000' },
  });
  const mint = async (role: string) => {
    const res = await stack.api('POST', '/api/v1/tokens', { name: `fuzz-${role}`, role });
    if (res.status !== 201)
      throw new Error(`minting a ${role} token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  const rollout = await startRollout(stack, 'checkout', 'registry.local/shop/checkout:1.2.0');
  creds = {
    viewer: await mint('viewer'),
    operator: await mint('operator'),
    realParams: { id: [rollout.id], namespace: ['shop'], service: ['checkout'] },
  };
  const doc = (await stack.api('GET', '/api/openapi.json')).body as Json;
  routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({
      method: method.toUpperCase(),
      path,
      params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
    })),
  );
}, 90_000);
afterAll(async () => {
  agent.destroy();
  await stack?.stop();
});

describe('fuzzing the API', () => {
  it('answers thousands of hostile requests without a 5xx, a dropped connection or a change', async () => {
    expect(routes.length).toBeGreaterThan(15);
    const before = snapshot(stack.env.AVIARY_DB!);
    // The comparison has something to compare: the rollout, its history, the minted tokens.
    expect(before.rollouts).toHaveLength(1);
    expect(before.events!.length).toBeGreaterThan(1);
    expect(before.api_tokens).toHaveLength(2);
    const requests = fc.sample(fuzzRequest(routes, creds), { numRuns: REQUESTS, seed: SEED });
    const outcomes = await runAll(Number(new URL(stack.server.url).port), requests);
    const after = snapshot(stack.env.AVIARY_DB!);

    expect(outcomes).toHaveLength(REQUESTS);
    const dropped = outcomes.filter((o) => o.dropped !== undefined);
    expect(dropped.map((o) => `${o.request.method} ${o.request.path.slice(0, 80)}: ${o.dropped}`)).toEqual(
      [],
    );
    const failed = outcomes.filter((o) => (o.status ?? 0) >= 500);
    expect(
      failed.map(
        (o) => `${o.status} ${o.request.method} ${o.request.path.slice(0, 80)}: ${o.body?.slice(0, 200)}`,
      ),
    ).toEqual([]);
    // Every refusal says what was wrong in the API's error body.
    const refusals = outcomes.filter((o) => (o.status ?? 0) >= 400 && o.request.method !== 'HEAD');
    const shapeless = refusals.filter((o) => {
      try {
        const body = JSON.parse(o.body ?? '');
        return typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string';
      } catch {
        return true;
      }
    });
    expect(
      shapeless.map(
        (o) => `${o.status} ${o.request.method} ${o.request.path.slice(0, 80)}: ${o.body?.slice(0, 120)}`,
      ),
    ).toEqual([]);
    expect(refusals.length).toBeGreaterThan(REQUESTS / 2);
    expect(after).toEqual(before);
  }, 180_000);
});
