import { describe, expect, it } from 'vitest';
import { parseTarget } from './api.ts';
import { fields, table } from './output.ts';

describe('table', () => {
  it('aligns columns under upper-case labels without trailing spaces, "-" for nothing', () => {
    const rows = [
      { name: 'checkout', weight: 5, image: null },
      { name: 'payments-long', weight: 100, image: 'r/p:2' },
    ];
    const text = table(rows, [
      { label: 'target', value: (r) => r.name },
      { label: 'weight', value: (r) => r.weight },
      { label: 'image', value: (r) => r.image },
    ]);
    expect(text).toBe(
      [
        'TARGET          WEIGHT   IMAGE',
        'checkout        5        -',
        'payments-long   100      r/p:2',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    expect(table([], [{ label: 'id', value: () => 'x' }])).toBe('ID\n');
  });
});

describe('fields', () => {
  it('aligns the values', () => {
    expect(
      fields([
        ['Phase', 'paused'],
        ['Weight', null],
      ]),
    ).toBe('Phase:  paused\nWeight: -\n');
  });
});

describe('parseTarget', () => {
  it('reads NS/SVC and nothing else', () => {
    expect(parseTarget('shop/checkout')).toEqual({ namespace: 'shop', service: 'checkout' });
    expect(parseTarget('01JD6Z3K')).toBeNull();
    expect(parseTarget('Shop/checkout')).toBeNull();
    expect(parseTarget('shop/checkout/x')).toBeNull();
  });
});
