import { describe, expect, it } from 'vitest';
import { bucketsByLabel, byLabel, firstValue } from './parse.ts';
import type { VectorSample } from './types.ts';

const sample = (metric: Record<string, string>, value: number): VectorSample => ({
  metric,
  timestamp: 1,
  value,
});

describe('firstValue', () => {
  it('reads the first sample', () => {
    expect(firstValue([sample({}, 0.25), sample({}, 9)])).toBe(0.25);
    expect(firstValue([sample({}, 0)])).toBe(0);
  });

  it('treats an empty vector, NaN and ±Inf as no data (null), never 0', () => {
    expect(firstValue([])).toBeNull();
    expect(firstValue([sample({}, Number.NaN)])).toBeNull();
    expect(firstValue([sample({}, Number.POSITIVE_INFINITY)])).toBeNull();
    expect(firstValue([sample({}, Number.NEGATIVE_INFINITY)])).toBeNull();
  });
});

describe('byLabel', () => {
  it('maps label values to numbers and drops NaN so a missing key means no data', () => {
    const m = byLabel(
      [
        sample({ destination_workload: 'web' }, 0.01),
        sample({ destination_workload: 'web-canary' }, Number.NaN),
        sample({ destination_workload: 'web-b' }, 0),
      ],
      'destination_workload',
    );
    expect([...m]).toEqual([
      ['web', 0.01],
      ['web-b', 0],
    ]);
  });

  it('keys a series without the label as "" and adds series sharing a value', () => {
    const m = byLabel([sample({}, 1), sample({ w: 'a' }, 2), sample({ w: 'a' }, 3)], 'w');
    expect(m.get('')).toBe(1);
    expect(m.get('a')).toBe(5);
  });
});

describe('bucketsByLabel', () => {
  it('groups buckets per workload and parses le="+Inf"', () => {
    const m = bucketsByLabel(
      [
        sample({ destination_workload: 'web', le: '10' }, 5),
        sample({ destination_workload: 'web', le: '+Inf' }, 7),
        sample({ destination_workload: 'web-canary', le: '0.5' }, 1),
        sample({ destination_workload: 'web-canary' }, 1),
        sample({ destination_workload: 'web-canary', le: 'nope' }, 1),
      ],
      'destination_workload',
    );
    expect(m.get('web')).toEqual([
      { le: 10, count: 5 },
      { le: Number.POSITIVE_INFINITY, count: 7 },
    ]);
    expect(m.get('web-canary')).toEqual([{ le: 0.5, count: 1 }]);
  });
});
