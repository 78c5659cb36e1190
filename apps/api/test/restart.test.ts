import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type Json, apiClient, token, waitFor } from './harness.ts';

// The API as its own process, killed with SIGKILL mid-promotion and started again on the same
// SQLite file: the promotion must finish and the history must be intact.
let dir: string;
let sandbox: Sandbox;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aviary-restart-'));
  sandbox = await startSandbox({ dir: join(dir, 'sandbox'), rps: 2, readyDelayMs: 150, prometheus: 'none' });
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startApi(): Promise<{ child: ChildProcess; api: Api }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      AVIARY_PORT: '0',
      AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
      AVIARY_DB: join(dir, 'aviary.db'),
      AVIARY_ADMIN_TOKEN: token,
      AVIARY_LOG_LEVEL: 'warn',
      AVIARY_ACTION_WAIT_MS: '300',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await waitFor(
    async () => output.match(/Aviary API on (http:\/\/\S+)/)?.[1],
    30_000,
    'the API to start',
  );
  return { child, api: apiClient(url) };
}

const faults = () => `${sandbox.endpoints.apiServer}/_sandbox/faults`;
const stableImage = async () => {
  const res = await fetch(
    `${sandbox.endpoints.apiServer}/apis/apps/v1/namespaces/shop/deployments?fieldSelector=metadata.name%3Dcheckout`,
  );
  return ((await res.json()) as Json).items[0].spec.template.spec.containers[0].image as string;
};

describe('SIGKILL during promote', () => {
  it('the restarted process finishes the promotion and history is intact', async () => {
    const first = await startApi();
    const started = await first.api('POST', '/api/v1/rollouts', {
      namespace: 'shop',
      service: 'checkout',
      image: 'registry.local/shop/checkout:5.0.0',
    });
    const id = started.body.id as string;
    await waitFor(
      async () =>
        (await first.api('GET', `/api/v1/rollouts/${id}`)).body.phase === 'progressing' || undefined,
      20_000,
      'first step',
    );

    // Slow the cluster so the promotion is still under way when the process dies.
    await fetch(faults(), {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: 'deployments/checkout$', delayMs: 800 }),
    });
    const accepted = await first.api('POST', `/api/v1/rollouts/${id}/actions`, {
      type: 'promote',
      override: true,
      reason: 'ship it',
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ phase: 'promoting', operation: 'promote' });
    await waitFor(
      async () => (await stableImage()) === 'registry.local/shop/checkout:5.0.0' || undefined,
      20_000,
      'stable to move',
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await fetch(faults(), { method: 'DELETE' });

    const second = await startApi();
    const done = await waitFor(
      async () => {
        const r = (await second.api('GET', `/api/v1/rollouts/${id}`)).body;
        return r.phase === 'promoted' ? r : undefined;
      },
      30_000,
      'the promotion to finish after the restart',
    );
    expect(done).toMatchObject({ weight: 0, operation: null });
    expect(await stableImage()).toBe('registry.local/shop/checkout:5.0.0');
    const vs = (await (
      await fetch(
        `${sandbox.endpoints.apiServer}/apis/networking.istio.io/v1/namespaces/shop/virtualservices/checkout`,
      )
    ).json()) as Json;
    expect(vs.spec.http[0].route.map((d: Json) => d.weight)).toEqual([100, 0]);
    const canary = (await (
      await fetch(`${sandbox.endpoints.apiServer}/apis/apps/v1/namespaces/shop/deployments/checkout-canary`)
    ).json()) as Json;
    expect(canary.spec.replicas).toBe(0);
    const history = (await second.api('GET', `/api/v1/rollouts/${id}/events`)).body.items.map(
      (e: Json) => e.action,
    );
    expect(history).toEqual(['created', 'canary-ready', 'step', 'promote']);
    second.child.kill('SIGTERM');
  }, 120_000);
});
