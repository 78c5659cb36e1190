import { DomainError } from '@aviary/core';
import { describe, expect, it } from 'vitest';
import type { RouterAdapter, RouterTarget } from './provider.ts';
import { TrafficRouters } from './table.ts';

const target = (namespace: string, service: string): RouterTarget => ({
  namespace,
  service,
  objects: [],
  metrics: 'app',
  capabilities: { headerPreview: false, stickySessions: false },
  weights: { stable: 100, canary: 0 },
  problems: [],
});

/** An adapter whose discovery answers `found` or fails with `fails`; nothing else is called. */
function adapter(id: RouterAdapter['id'], found: RouterTarget[] | Error): RouterAdapter {
  return {
    id,
    discover: async () => {
      if (found instanceof Error) throw found;
      return found;
    },
    getWeights: async () => ({ stable: 100, canary: 0 }),
    setWeights: async () => {},
    annotations: async () => ({}),
    watchPath: () => '',
    observe: () => [],
  };
}

const missingCrd = new DomainError('cluster-unavailable', 'listing TraefikServices: 404', { status: 404 });
const outage = new DomainError('cluster-unavailable', 'listing TrafficSplits: 503', { status: 503 });

describe('TrafficRouters', () => {
  it("merges every router's targets, sorted, and remembers which router splits each", async () => {
    const routers = new TrafficRouters([
      adapter('smi', [target('b', 'x')]),
      adapter('istio', [target('a', 'y'), target('a', 'x')]),
      adapter('traefik', missingCrd),
    ]);
    const found = await routers.discover();
    expect(found.map((t) => `${t.namespace}/${t.service}:${t.router}`)).toEqual([
      'a/x:istio',
      'a/y:istio',
      'b/x:smi',
    ]);
    expect((await routers.resolve('b', 'x')).router).toBe('smi');
    expect(await routers.metricsOf({ namespace: 'a', service: 'x', router: 'istio' })).toBe('app');
    await expect(routers.resolve('b', 'nope')).rejects.toMatchObject({ code: 'target-not-canaryable' });
  });

  it('tells a service that does not exist (404) from one no router splits (422)', async () => {
    const routers = new TrafficRouters(
      [adapter('istio', [target('a', 'x')])],
      async (_ns, svc) => svc === 'plain',
    );
    await expect(routers.resolve('a', 'plain')).rejects.toMatchObject({ code: 'target-not-canaryable' });
    await expect(routers.resolve('a', 'ghost')).rejects.toMatchObject({ code: 'target-not-found' });
    expect((await routers.resolve('a', 'x')).router).toBe('istio');
  });

  it('does not hide a cluster that fails: only a kind it does not serve has no targets', async () => {
    const routers = new TrafficRouters([adapter('istio', [target('a', 'x')]), adapter('smi', outage)]);
    await expect(routers.discover()).rejects.toBe(outage);
  });

  it('refuses a router it has no adapter for', () => {
    expect(() => new TrafficRouters([]).adapter('nginx')).toThrow(/no traffic router "nginx"/);
  });
});
