import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClients } from '../src/client.ts';
import { LeanHttp } from '../src/lean-http.ts';

let dir: string;
let sandbox: Sandbox;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aviary-timeouts-'));
  sandbox = await startSandbox({ dir, rps: 0, prometheus: 'none' });
}, 30_000);

afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await fetch(`${sandbox.endpoints.apiServer}/_sandbox/faults`, { method: 'DELETE' });
});

/** The API server holds every matching request for a minute before answering it. */
const stall = (path: string) =>
  fetch(`${sandbox.endpoints.apiServer}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ path, delayMs: 60_000 }),
  });

describe('calls to a Kubernetes API server that does not answer', () => {
  it('fail after the client timeout instead of hanging, and the next call works', async () => {
    const kube = createKubeClients({ kubeconfig: sandbox.endpoints.kubeconfig, timeoutMs: 300 });
    await stall('deployments');
    await expect(kube.apps.listNamespacedDeployment({ namespace: 'shop' })).rejects.toThrow(
      /did not answer GET \/apis\/apps\/v1\/namespaces\/shop\/deployments within 300 ms/,
    );
    // Other resources are unaffected.
    const vs = await kube.custom.listNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'virtualservices',
    });
    expect((vs as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('fail the same way over the lean client a rollback writes through', async () => {
    const kube = createKubeClients({ kubeconfig: sandbox.endpoints.kubeconfig });
    const lean = new LeanHttp(kube.config, Date.now, 300);
    await stall('virtualservices');
    await expect(
      lean.json('GET', 'apis/networking.istio.io/v1/namespaces/shop/virtualservices/checkout'),
    ).rejects.toThrow(/did not answer GET .* within 300 ms/);
    lean.close();
  });
});
