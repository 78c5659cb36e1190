import { mkdtemp, rm } from 'node:fs/promises';
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
