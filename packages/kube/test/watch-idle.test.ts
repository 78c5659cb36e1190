import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrafficSplit } from '@aviary/core';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClients } from '../src/client.ts';
import { TrafficRouters, createRouterAdapters } from '../src/traffic-routers/index.ts';
import { watchRouterWeights } from '../src/watch.ts';

let dir: string;
let sandbox: Sandbox;
let routers: TrafficRouters;
let kube: ReturnType<typeof createKubeClients>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aviary-watch-idle-'));
  sandbox = await startSandbox({ dir, rps: 0, routerRps: 0, prometheus: 'none' });
  kube = createKubeClients({ kubeconfig: sandbox.endpoints.kubeconfig });
  routers = new TrafficRouters(createRouterAdapters(kube.custom, { core: kube.core }));
}, 30_000);

afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

const faults = '/_sandbox/faults';

describe('a router watch on an API server that goes silent', () => {
  it('is aborted after the idle timeout and started again, so splits keep arriving', async () => {
    // The first watch of VirtualServices gets its headers and then nothing at all, forever.
    const added = await fetch(`${sandbox.endpoints.apiServer}${faults}`, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: 'virtualservices$', silent: true, times: 1 }),
    });
    expect(added.status).toBe(201);
    const seen: TrafficSplit[] = [];
    const watch = watchRouterWeights(
      kube.config,
      [routers.adapter('istio')],
      (target, weights) => {
        if (target.namespace === 'shop' && target.service === 'checkout') seen.push(weights);
      },
      { idleTimeoutMs: 500 },
    );
    try {
      const deadline = Date.now() + 20_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(seen[0]).toEqual({ stable: 100, canary: 0 });
      // The silent connection really was the first watch: the fault was used up by it.
      const left = await (await fetch(`${sandbox.endpoints.apiServer}${faults}`)).json();
      expect(left).toEqual({ faults: [] });
    } finally {
      watch.stop();
    }
  });
});
