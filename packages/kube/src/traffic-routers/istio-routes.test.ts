import { describe, expect, it } from 'vitest';
import { type VirtualService, readSplit, splitRuleIndex, splitServices, withSplit } from './istio-routes.ts';

const host = 'checkout.shop.svc.cluster.local';
const dest = (subset: string, weight?: number) => ({
  destination: { host, subset },
  ...(weight === undefined ? {} : { weight }),
});
const vs = (http: unknown[]): VirtualService => ({
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: { hosts: ['checkout'], http: http as never },
});

describe('Istio VirtualService weights', () => {
  it('reads the split as percentages of relative weights', () => {
    expect(readSplit(vs([{ route: [dest('stable', 80), dest('canary', 20)] }]), 'checkout')).toEqual({
      stable: 80,
      canary: 20,
    });
    expect(readSplit(vs([{ route: [dest('stable', 900), dest('canary', 100)] }]), 'checkout')).toEqual({
      stable: 90,
      canary: 10,
    });
    expect(readSplit(vs([{ route: [dest('stable', 1), dest('canary')] }]), 'checkout')).toEqual({
      stable: 100,
      canary: 0,
    });
  });

  it('has no split for a service it does not route to both subsets', () => {
    expect(readSplit(vs([{ route: [dest('stable', 100)] }]), 'checkout')).toBeUndefined();
    expect(readSplit(vs([{ route: [dest('stable', 100), dest('canary', 0)] }]), 'payments')).toBeUndefined();
    expect(readSplit(vs([{ route: [dest('stable', 0), dest('canary', 0)] }]), 'checkout')).toBeUndefined();
  });

  it('leaves a cookie-matched sticky rule alone and writes the default rule', () => {
    const sticky = {
      match: [{ headers: { cookie: { regex: '.*canary=1.*' } } }],
      route: [dest('stable', 0), dest('canary', 100)],
    };
    const base = vs([sticky, { route: [dest('stable', 95), dest('canary', 5)] }]);
    expect(splitRuleIndex(base, 'checkout')).toBe(1);
    expect(readSplit(base, 'checkout')).toEqual({ stable: 95, canary: 5 });
    const next = withSplit(base, 'checkout', { stable: 50, canary: 50 });
    expect(next.spec!.http![0]).toEqual(sticky);
    expect(next.spec!.http![1]!.route!.map((d) => d.weight)).toEqual([50, 50]);
    // The input is not changed.
    expect(base.spec!.http![1]!.route!.map((d) => d.weight)).toEqual([95, 5]);
  });

  it('keeps every other field of the object', () => {
    const base = vs([
      {
        name: 'primary',
        timeout: '2s',
        route: [{ ...dest('stable', 100), headers: { response: { set: { x: '1' } } } }, dest('canary', 0)],
      },
    ]);
    const next = withSplit(base, 'checkout', { stable: 75, canary: 25 });
    expect(next.spec!.http![0]).toMatchObject({ name: 'primary', timeout: '2s' });
    expect(next.spec!.http![0]!.route![0]).toMatchObject({
      headers: { response: { set: { x: '1' } } },
      weight: 75,
    });
  });

  it('lists the services a VirtualService splits', () => {
    expect(splitServices(vs([{ route: [dest('stable', 100), dest('canary', 0)] }]))).toEqual(['checkout']);
    expect(splitServices(vs([{ route: [dest('v1', 100)] }]))).toEqual([]);
  });

  it('refuses to write a split it cannot place', () => {
    expect(() =>
      withSplit(vs([{ route: [dest('stable', 100)] }]), 'checkout', { stable: 90, canary: 10 }),
    ).toThrow(/no rule routing checkout/);
  });
});
