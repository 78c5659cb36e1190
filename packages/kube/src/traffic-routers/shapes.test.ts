import { describe, expect, it } from 'vitest';
import { type HttpRoute, httpRouteShape } from './gateway-api.ts';
import { CANARY_WEIGHT, type IngressObject, canaryIngressShape } from './nginx.ts';
import { type TrafficSplitObject, quantity, trafficSplitShape } from './smi.ts';
import { type TraefikServiceObject, traefikServiceShape } from './traefik.ts';

const meta = { name: 'checkout', namespace: 'shop', resourceVersion: '7' };

describe('Gateway API HTTPRoute', () => {
  const route = (rules: unknown[], annotations?: Record<string, string>): HttpRoute => ({
    metadata: { ...meta, ...(annotations ? { annotations } : {}) },
    spec: { parentRefs: [{ kind: 'Service', name: 'checkout' }], rules: rules as never },
  });
  const pair = (stable?: number, canary?: number) => [
    { name: 'checkout-stable', port: 80, ...(stable === undefined ? {} : { weight: stable }) },
    { name: 'checkout-canary', port: 80, ...(canary === undefined ? {} : { weight: canary }) },
  ];

  it('reads relative weights, a missing weight counting 1', () => {
    expect(httpRouteShape.read(route([{ backendRefs: pair(80, 20) }]), 'checkout')).toEqual({
      stable: 80,
      canary: 20,
    });
    expect(httpRouteShape.read(route([{ backendRefs: pair(900, 100) }]), 'checkout')).toEqual({
      stable: 90,
      canary: 10,
    });
    expect(httpRouteShape.read(route([{ backendRefs: pair() }]), 'checkout')).toEqual({
      stable: 50,
      canary: 50,
    });
    expect(httpRouteShape.read(route([{ backendRefs: pair(0, 0) }]), 'checkout')).toBeUndefined();
    expect(httpRouteShape.services(route([{ backendRefs: [{ name: 'checkout' }] }]))).toEqual([]);
  });

  it('writes the default rule and leaves a header-matched rule in front of it alone', () => {
    const preview = { matches: [{ headers: [{ name: 'x-canary', value: '1' }] }], backendRefs: pair(0, 1) };
    const base = route([preview, { backendRefs: pair(100, 0) }]);
    const next = httpRouteShape.write(base, 'checkout', { stable: 75, canary: 25 });
    expect(next.spec!.rules![0]).toEqual(preview);
    expect(next.spec!.rules![1]!.backendRefs!.map((b) => b.weight)).toEqual([75, 25]);
    expect(next.spec!.rules![1]!.backendRefs![0]).toMatchObject({ port: 80 });
    expect(base.spec!.rules![1]!.backendRefs!.map((b) => b.weight)).toEqual([100, 0]);
  });

  it('reads the app metrics unless the route says whose data plane it runs on', () => {
    expect(httpRouteShape.metrics(route([]))).toBe('app');
    expect(httpRouteShape.metrics(route([], { 'aviary.dev/metrics': 'istio' }))).toBe('istio');
    expect(httpRouteShape.metrics(route([], { 'aviary.dev/metrics': 'bogus' }))).toBe('app');
  });

  it('says a route without parents applies nowhere', () => {
    const orphan: HttpRoute = { metadata: meta, spec: { rules: [{ backendRefs: pair(100, 0) }] } };
    expect(httpRouteShape.problems!(orphan, 'checkout')[0]).toMatch(/no parentRefs/);
  });
});

describe('SMI TrafficSplit', () => {
  const ts = (backends: unknown[], service = 'checkout'): TrafficSplitObject => ({
    metadata: meta,
    spec: { service, backends: backends as never },
  });

  it('reads integer and Quantity weights of the apex service', () => {
    const split = ts([
      { service: 'checkout-stable', weight: 95 },
      { service: 'checkout-canary', weight: 5 },
    ]);
    expect(trafficSplitShape.services(split)).toEqual(['checkout']);
    expect(trafficSplitShape.read(split, 'checkout')).toEqual({ stable: 95, canary: 5 });
    expect(quantity('900m')).toBe(0.9);
    expect(quantity('1')).toBe(1);
    expect(
      trafficSplitShape.read(
        ts([
          { service: 'checkout-stable', weight: '900m' },
          { service: 'checkout-canary', weight: '100m' },
        ]),
        'checkout',
      ),
    ).toEqual({ stable: 90, canary: 10 });
  });

  it('writes both backends and refuses another service', () => {
    const split = ts([
      { service: 'checkout-stable', weight: 100 },
      { service: 'checkout-canary', weight: 0 },
    ]);
    expect(trafficSplitShape.write(split, 'checkout', { stable: 80, canary: 20 }).spec!.backends).toEqual([
      { service: 'checkout-stable', weight: 80 },
      { service: 'checkout-canary', weight: 20 },
    ]);
    expect(() => trafficSplitShape.write(split, 'payments', { stable: 80, canary: 20 })).toThrow(
      /does not split/,
    );
  });
});

describe('NGINX canary Ingress', () => {
  const ingress = (annotations: Record<string, string>, backend = 'checkout-canary'): IngressObject => ({
    metadata: { ...meta, name: 'checkout-canary', annotations },
    spec: { rules: [{ host: 'shop.local', http: { paths: [{ backend: { service: { name: backend } } }] } }] },
  });

  it('reads canary-weight out of canary-weight-total, only on a canary Ingress', () => {
    const canary = { 'nginx.ingress.kubernetes.io/canary': 'true' };
    expect(canaryIngressShape.read(ingress({ ...canary, [CANARY_WEIGHT]: '20' }), 'checkout')).toEqual({
      stable: 80,
      canary: 20,
    });
    expect(canaryIngressShape.read(ingress(canary), 'checkout')).toEqual({ stable: 100, canary: 0 });
    expect(
      canaryIngressShape.read(
        ingress({
          ...canary,
          [CANARY_WEIGHT]: '50',
          'nginx.ingress.kubernetes.io/canary-weight-total': '1000',
        }),
        'checkout',
      ),
    ).toEqual({ stable: 95, canary: 5 });
    expect(canaryIngressShape.services(ingress({ [CANARY_WEIGHT]: '20' }))).toEqual([]);
    expect(canaryIngressShape.services(ingress(canary, 'checkout'))).toEqual([]);
  });

  it('writes the weight as a string annotation scaled to the total, keeping the others', () => {
    const base = ingress({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight-total': '1000',
      team: 'shop',
    });
    const next = canaryIngressShape.write(base, 'checkout', { stable: 75, canary: 25 });
    expect(next.metadata.annotations).toMatchObject({ [CANARY_WEIGHT]: '250', team: 'shop' });
    expect(base.metadata.annotations![CANARY_WEIGHT]).toBeUndefined();
  });
});

describe('Traefik TraefikService', () => {
  const tsvc = (services: unknown[]): TraefikServiceObject => ({
    metadata: meta,
    spec: { weighted: { services: services as never, sticky: { cookie: { name: 'lb' } } } },
  });

  it('reads and writes the weighted children, keeping stickiness and ports', () => {
    const base = tsvc([
      { name: 'checkout-stable', port: 80, weight: 100 },
      { name: 'checkout-canary', port: 80, weight: 0 },
    ]);
    expect(traefikServiceShape.services(base)).toEqual(['checkout']);
    expect(traefikServiceShape.read(base, 'checkout')).toEqual({ stable: 100, canary: 0 });
    const next = traefikServiceShape.write(base, 'checkout', { stable: 95, canary: 5 });
    expect(next.spec!.weighted!.sticky).toEqual({ cookie: { name: 'lb' } });
    expect(next.spec!.weighted!.services).toEqual([
      { name: 'checkout-stable', port: 80, weight: 95 },
      { name: 'checkout-canary', port: 80, weight: 5 },
    ]);
  });

  it('ignores nested TraefikServices', () => {
    expect(
      traefikServiceShape.services(
        tsvc([
          { name: 'checkout-stable', kind: 'TraefikService' },
          { name: 'checkout-canary', kind: 'Service' },
        ]),
      ),
    ).toEqual([]);
  });
});
