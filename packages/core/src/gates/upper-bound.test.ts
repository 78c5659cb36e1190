import { describe, expect, it } from 'vitest';
import { clopperPearsonUpper } from './upper-bound.ts';

describe('clopperPearsonUpper (one-sided 95%)', () => {
  // Reference values: scipy.stats.beta.ppf(0.95, x + 1, n − x), and the closed forms
  // 1 − 0.05^(1/n) for x = 0 and 0.95^(1/n) for x = n − 1.
  it.each([
    [0, 8, 0.3123439780663678],
    [0, 1, 0.95],
    [1, 10, 0.39416330243650466],
    [9, 10, 0.95 ** (1 / 10)],
    [5, 100, 0.1022533776432745],
    [2, 590, 0.01063205580759542],
    [41, 1950, 0.02719515746550263],
  ])('%i bad in %i → %f', (bad, total, expected) => {
    expect(clopperPearsonUpper(bad, total)).toBeCloseTo(expected, 9);
  });

  it('is 1 when every event was bad, and null without data', () => {
    expect(clopperPearsonUpper(8, 8)).toBe(1);
    expect(clopperPearsonUpper(0, 0)).toBeNull();
    expect(clopperPearsonUpper(3, 2)).toBeNull();
    expect(clopperPearsonUpper(Number.NaN, 10)).toBeNull();
  });

  it('narrows as the data grows, at the same observed share', () => {
    const bounds = [10, 100, 1000, 10_000].map((n) => clopperPearsonUpper(n / 100, n) ?? 1);
    expect(bounds.every((b, i) => i === 0 || b < (bounds[i - 1] ?? 1))).toBe(true);
    expect(bounds.at(-1)).toBeGreaterThan(0.01);
  });

  it('takes another confidence level', () => {
    expect(clopperPearsonUpper(0, 8, 0.99)).toBeCloseTo(1 - 0.01 ** (1 / 8), 12);
  });
});
