import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeanHttp } from '../src/lean-http.ts';
import { kubeMessage, statusOf } from '../src/retry.ts';
import type { VirtualService } from '../src/traffic-routers/istio-routes.ts';

let dir: string;
let sandbox: Sandbox;
let lean: LeanHttp;
const path = 'apis/networking.istio.io/v1/namespaces/shop/virtualservices/checkout';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aviary-lean-'));
  sandbox = await startSandbox({ dir, rps: 0, prometheus: 'none' });
  const config = new KubeConfig();
  config.loadFromFile(sandbox.endpoints.kubeconfig);
  lean = new LeanHttp(config);
}, 30_000);

afterAll(async () => {
  lean?.close();
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('LeanHttp', () => {
  it('reads and replaces an object with its resourceVersion', async () => {
    const vs = await lean.json<VirtualService>('GET', path);
    vs.metadata.annotations = { ...(vs.metadata.annotations as object), 'test/lean': 'yes' };
    const written = await lean.json<VirtualService>('PUT', path, vs);
    expect(Number(written.metadata.resourceVersion)).toBeGreaterThan(Number(vs.metadata.resourceVersion));
    expect((written.metadata.annotations as Record<string, string>)['test/lean']).toBe('yes');
  });

  it('fails a stale write as client-node would: an ApiException with the Status message', async () => {
    const stale = await lean.json<VirtualService>('GET', path);
    const changed = structuredClone(stale);
    changed.metadata.annotations = { ...(stale.metadata.annotations as object), 'test/lean': 'again' };
    await lean.json('PUT', path, changed);
    const err = await lean.json('PUT', path, stale).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(409);
    expect(kubeMessage(err)).toMatch(
      /the object has been modified; please apply your changes to the latest version/,
    );
  });
});

describe('LeanHttp credentials', () => {
  // The sandbox API server accepts any token; this server accepts one at a time, as a cluster
  // does when an exec plugin's token expires and the next one takes over.
  it('reuses applied credentials, and applies them afresh once after a 401', async () => {
    let accepted = 'first';
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const token = req.headers.authorization ?? '';
      seen.push(token);
      const ok = token === `Bearer ${accepted}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { ok: true } : { kind: 'Status', code: 401, message: 'Unauthorized' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'first' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const client = new LeanHttp(config);
    try {
      expect(await client.json('GET', 'api/v1/namespaces')).toEqual({ ok: true });
      // The token rotates: the reused credentials get a 401, fresh ones get through.
      accepted = 'second';
      (config.getCurrentUser() as { token: string }).token = 'second';
      expect(await client.json('GET', 'api/v1/namespaces')).toEqual({ ok: true });
      expect(seen).toEqual(['Bearer first', 'Bearer first', 'Bearer second']);
      // A 401 with fresh credentials is the answer, not retried again.
      accepted = 'third';
      const err = await client.json('GET', 'api/v1/namespaces').catch((e: unknown) => e);
      expect(statusOf(err)).toBe(401);
      expect(seen).toHaveLength(5);
    } finally {
      client.close();
      await new Promise((r) => server.close(r));
    }
  });
});
