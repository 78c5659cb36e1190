import { describe, expect, it } from 'vitest';
import { seededRandom } from '../workloads/catalogue.ts';
import {
  type HttpRouteDestination,
  type RequestView,
  type VirtualServiceSpec,
  appliesToMesh,
  applyHeaderOperations,
  decideRoute,
  hostsName,
  pickWeighted,
  stringMatches,
  toFqdn,
} from './routing.ts';

const dest = (subset: string, weight?: number): HttpRouteDestination => ({
  destination: { host: 'checkout', subset },
  ...(weight === undefined ? {} : { weight }),
});
const get = (url: string, headers: RequestView['headers'] = {}): RequestView => ({
  method: 'GET',
  url,
  headers,
});

function split(route: HttpRouteDestination[], n = 20_000): Record<string, number> {
  const random = seededRandom(42);
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const subset = pickWeighted(route, random)?.destination.subset ?? 'none';
    counts[subset] = (counts[subset] ?? 0) + 1;
  }
  for (const k of Object.keys(counts)) counts[k] = counts[k]! / n;
  return counts;
}

describe('weighted destination choice', () => {
  it.each([
    ['80/20', [dest('stable', 80), dest('canary', 20)], { stable: 0.8, canary: 0.2 }],
    ['99/1', [dest('stable', 99), dest('canary', 1)], { stable: 0.99, canary: 0.01 }],
    ['weights need not sum to 100', [dest('stable', 3), dest('canary', 1)], { stable: 0.75, canary: 0.25 }],
    ['a sole destination without weight takes all', [dest('stable')], { stable: 1 }],
    ['a sole destination with weight 0 still takes all', [dest('stable', 0)], { stable: 1 }],
    ['a missing weight counts 0 among several', [dest('stable', 100), dest('canary')], { stable: 1 }],
    ['0/100', [dest('stable', 0), dest('canary', 100)], { canary: 1 }],
    ['three ways', [dest('a', 50), dest('b', 25), dest('c', 25)], { a: 0.5, b: 0.25, c: 0.25 }],
  ])('%s', (_name, route, expected) => {
    const measured = split(route);
    expect(Object.keys(measured).sort()).toEqual(Object.keys(expected).sort());
    for (const [subset, share] of Object.entries(expected)) expect(measured[subset]).toBeCloseTo(share, 2);
  });

  it('all weights 0 picks nothing', () => {
    expect(pickWeighted([dest('stable', 0), dest('canary', 0)], () => 0.5)).toBeUndefined();
    expect(pickWeighted([], () => 0.5)).toBeUndefined();
  });

  it('uses the injected randomness at the boundaries', () => {
    const route = [dest('stable', 80), dest('canary', 20)];
    expect(pickWeighted(route, () => 0)?.destination.subset).toBe('stable');
    expect(pickWeighted(route, () => 0.7999)?.destination.subset).toBe('stable');
    expect(pickWeighted(route, () => 0.8)?.destination.subset).toBe('canary');
    expect(pickWeighted(route, () => 0.999999)?.destination.subset).toBe('canary');
  });
});

describe('rule matching', () => {
  const spec: VirtualServiceSpec = {
    hosts: ['checkout'],
    http: [
      {
        name: 'sticky',
        match: [{ headers: { cookie: { regex: '.*canary=1.*' } } }],
        route: [dest('canary')],
      },
      {
        name: 'insiders',
        match: [
          { headers: { 'x-user': { exact: 'insider' } } },
          { headers: { 'x-beta': { prefix: 'yes' } } },
        ],
        route: [dest('canary')],
      },
      {
        name: 'api-post',
        match: [{ uri: { prefix: '/api/' }, method: { exact: 'POST' } }],
        route: [dest('api')],
      },
      { name: 'exact', match: [{ uri: { exact: '/healthz' } }], route: [dest('health')] },
      { name: 'regex', match: [{ uri: { regex: '/v[0-9]+/items' } }], route: [dest('versioned')] },
      { name: 'default', route: [dest('stable', 100), dest('canary', 0)] },
    ],
  };
  const ruleOf = (req: RequestView) => {
    const d = decideRoute(spec, req, () => 0.5);
    return d.kind === 'no-route' ? 'no-route' : d.rule.name;
  };

  it.each([
    ['plain request falls to the default', get('/'), 'default'],
    ['cookie regex in the middle of the header', get('/', { cookie: 'a=b; canary=1; c=d' }), 'sticky'],
    ['cookie regex is anchored, not a substring search', get('/', { cookie: 'canary=0' }), 'default'],
    ['header exact', get('/', { 'x-user': 'insider' }), 'insiders'],
    ['header exact is exact', get('/', { 'x-user': 'insiders' }), 'default'],
    ['second match block (OR)', get('/', { 'x-beta': 'yes-please' }), 'insiders'],
    ['uri prefix AND method: both hold', { method: 'POST', url: '/api/orders', headers: {} }, 'api-post'],
    ['uri prefix AND method: method fails', get('/api/orders'), 'default'],
    ['uri exact ignores the query string', get('/healthz?probe=1'), 'exact'],
    ['uri exact is exact', get('/healthz/x'), 'default'],
    ['uri regex is fully anchored', get('/v2/items'), 'regex'],
    ['uri regex does not match a longer path', get('/v2/items/9'), 'default'],
    ['the first matching rule wins', get('/healthz', { 'x-user': 'insider' }), 'insiders'],
  ])('%s', (_name, req, rule) => {
    expect(ruleOf(req)).toBe(rule);
  });

  it('without a catch-all rule an unmatched request has no route (Envoy NR)', () => {
    const onlyHeader: VirtualServiceSpec = {
      http: [{ match: [{ headers: { 'x-user': { exact: 'a' } } }], route: [dest('x')] }],
    };
    expect(decideRoute(onlyHeader, get('/')).kind).toBe('no-route');
    expect(decideRoute({}, get('/')).kind).toBe('no-route');
  });

  it('a matching rule whose weights are all 0 has no destination', () => {
    const zero: VirtualServiceSpec = { http: [{ route: [dest('a', 0), dest('b', 0)] }] };
    expect(decideRoute(zero, get('/')).kind).toBe('no-destination');
  });

  it.each([
    [{ exact: 'a' }, 'a', true],
    [{ prefix: 'ab' }, 'abc', true],
    [{ regex: 'a|b' }, 'a', true],
    [{ regex: 'a|b' }, 'ab', false],
    [{ regex: '(?P<v>v[12])' }, 'v2', true],
    [{ regex: '([' }, '([', false],
    [{}, 'anything', true],
  ])('stringMatches(%o, %s) = %s', (m, value, expected) => {
    expect(stringMatches(m, value)).toBe(expected);
  });

  it('ignoreUriCase, withoutHeaders and queryParams', () => {
    const s: VirtualServiceSpec = {
      http: [
        { name: 'case', match: [{ uri: { exact: '/Cart' }, ignoreUriCase: true }], route: [dest('a')] },
        {
          name: 'without',
          match: [{ withoutHeaders: { 'x-internal': { exact: '1' } }, uri: { prefix: '/w' } }],
          route: [dest('b')],
        },
        { name: 'query', match: [{ queryParams: { variant: { exact: 'b' } } }], route: [dest('c')] },
        { name: 'default', route: [dest('d')] },
      ],
    };
    const name = (req: RequestView) => {
      const d = decideRoute(s, req);
      return d.kind === 'no-route' ? 'no-route' : d.rule.name;
    };
    expect(name(get('/cart'))).toBe('case');
    expect(name(get('/w'))).toBe('without');
    expect(name(get('/w', { 'x-internal': '1' }))).toBe('default');
    expect(name(get('/x?variant=b'))).toBe('query');
    expect(name(get('/x?variant=a'))).toBe('default');
  });
});

describe('hosts', () => {
  it.each([
    ['checkout', 'shop', 'checkout.shop.svc.cluster.local'],
    ['checkout.shop', 'other', 'checkout.shop.svc.cluster.local'],
    ['checkout.shop.svc', 'other', 'checkout.shop.svc.cluster.local'],
    ['checkout.shop.svc.cluster.local', 'other', 'checkout.shop.svc.cluster.local'],
  ])('%s in namespace %s is %s', (host, ns, fqdn) => {
    expect(toFqdn(host, ns)).toBe(fqdn);
  });

  it('a VirtualService names a service by short name only within its namespace', () => {
    const fqdn = 'checkout.shop.svc.cluster.local';
    expect(hostsName(['checkout'], 'shop', fqdn)).toBe(true);
    expect(hostsName(['checkout'], 'other', fqdn)).toBe(false);
    expect(hostsName(['checkout.shop'], 'other', fqdn)).toBe(true);
    expect(hostsName(['*.shop.svc.cluster.local'], 'x', fqdn)).toBe(true);
    expect(hostsName(['catalog'], 'shop', fqdn)).toBe(false);
  });

  it('only mesh-bound VirtualServices apply to sidecar traffic', () => {
    expect(appliesToMesh({})).toBe(true);
    expect(appliesToMesh({ gateways: ['mesh'] })).toBe(true);
    expect(appliesToMesh({ gateways: ['istio-system/public'] })).toBe(false);
  });
});

describe('header operations', () => {
  it('remove, then set, then add', () => {
    const h: Record<string, string | string[] | undefined> = {
      'x-a': '1',
      'x-gone': 'y',
      'set-cookie': 'a=1',
    };
    applyHeaderOperations(h, {
      remove: ['X-Gone'],
      set: { 'X-A': '2' },
      add: { 'set-cookie': 'canary=1; Max-Age=86400', 'x-new': 'n' },
    });
    expect(h).toEqual({ 'x-a': '2', 'set-cookie': ['a=1', 'canary=1; Max-Age=86400'], 'x-new': 'n' });
  });

  it('adding a cookie to a request joins the cookie header', () => {
    const h: Record<string, string | string[] | undefined> = { cookie: 'a=1' };
    applyHeaderOperations(h, { add: { cookie: 'b=2' } });
    expect(h.cookie).toBe('a=1; b=2');
  });
});
