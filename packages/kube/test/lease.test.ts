import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseElector } from '../src/lease.ts';

let dir: string;
let sandbox: Sandbox;
let config: KubeConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aviary-lease-'));
  sandbox = await startSandbox({ dir, rps: 0, prometheus: 'none' });
  config = new KubeConfig();
  config.loadFromFile(sandbox.endpoints.kubeconfig);
}, 30_000);

afterAll(async () => {
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

const elector = (name: string, identity: string, durationSeconds = 1) =>
  new LeaseElector(config, {
    namespace: 'default',
    name,
    identity,
    durationSeconds,
    renewEverySeconds: 3600,
  });

describe('LeaseElector on a coordination.k8s.io Lease', () => {
  it('lets exactly one of two racing processes lead', async () => {
    const a = elector('race', 'a');
    const b = elector('race', 'b');
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect([ra, rb].filter(Boolean)).toHaveLength(1);
    // The holder renews; the other still cannot take it.
    const [leader, other] = ra ? [a, b] : [b, a];
    expect(await leader.tick()).toBe(true);
    expect(await other.tick()).toBe(false);
    await a.stop();
    await b.stop();
  });

  it('hands over at once when the leader stops, and after expiry when it dies', async () => {
    const a = elector('handover', 'a');
    const b = elector('handover', 'b');
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    await a.stop();
    expect(await b.tick()).toBe(true);

    // b "dies": it stops renewing without releasing. c waits out the lease duration.
    const c = elector('handover', 'c');
    expect(await c.tick()).toBe(false);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await c.tick()).toBe(true);
    const lease = (await (
      await fetch(
        `${sandbox.endpoints.apiServer}/apis/coordination.k8s.io/v1/namespaces/default/leases/handover`,
      )
    ).json()) as { spec: unknown };
    expect(lease.spec).toMatchObject({ holderIdentity: 'c', leaseTransitions: 2 });
    await c.stop();
    await b.stop();
  });

  it('stops leading when the API server cannot confirm the lease', async () => {
    const a = elector('outage', 'a', 15);
    expect(await a.tick()).toBe(true);
    await fetch(`${sandbox.endpoints.apiServer}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: 'leases', status: 500 }),
    });
    expect(await a.tick()).toBe(false);
    await fetch(`${sandbox.endpoints.apiServer}/_sandbox/faults`, { method: 'DELETE' });
    expect(await a.tick()).toBe(true);
    await a.stop();
  });

  it('times a lease by when this process saw it change, not by the holder’s clock', async () => {
    const leases = `${sandbox.endpoints.apiServer}/apis/coordination.k8s.io/v1/namespaces/default/leases`;
    // A holder whose clock runs an hour behind keeps renewing: its lease is not free.
    const put = async (renewTime: string, resourceVersion?: string) => {
      const res = await fetch(resourceVersion ? `${leases}/skewed` : leases, {
        method: resourceVersion ? 'PUT' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: 'skewed', namespace: 'default', ...(resourceVersion ? { resourceVersion } : {}) },
          spec: { holderIdentity: 'slow-clock', leaseDurationSeconds: 1, renewTime },
        }),
      });
      return ((await res.json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    };
    const hourAgo = (ms = 0) => new Date(Date.now() - 3_600_000 + ms).toISOString();
    let version = await put(hourAgo());
    const b = elector('skewed', 'b');
    expect(await b.tick()).toBe(false);
    for (let i = 1; i <= 3; i++) {
      await new Promise((r) => setTimeout(r, 400));
      version = await put(hourAgo(i * 400), version);
      expect(await b.tick()).toBe(false);
    }
    // It stops renewing (its renewTime would still say "an hour ago"): free once b has seen no
    // change for the lease's duration.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await b.tick()).toBe(true);
    await b.stop();
  });

  it('stops leading past the renew deadline, and logs each loss of leadership with why', async () => {
    const lost: unknown[] = [];
    const a = new LeaseElector(config, {
      namespace: 'default',
      name: 'deadline',
      identity: 'a',
      durationSeconds: 15,
      renewDeadlineSeconds: 1,
      renewEverySeconds: 3600,
      log: { warn: (obj) => lost.push(obj) },
    });
    expect(await a.tick()).toBe(true);
    expect(a.isLeader).toBe(true);
    // No renewal happens (the next is an hour away): past the deadline it no longer acts.
    await new Promise((r) => setTimeout(r, 1_300));
    expect(a.isLeader).toBe(false);
    expect(lost).toEqual([
      expect.objectContaining({ identity: 'a', why: expect.stringMatching(/renew deadline/) }),
    ]);
    expect(await a.tick()).toBe(true);
    await fetch(`${sandbox.endpoints.apiServer}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: 'leases', status: 500 }),
    });
    expect(await a.tick()).toBe(false);
    await fetch(`${sandbox.endpoints.apiServer}/_sandbox/faults`, { method: 'DELETE' });
    expect(lost).toHaveLength(2);
    expect(lost[1]).toMatchObject({ why: expect.stringMatching(/could not be renewed/) });
    await a.stop();
  });
});
