import { describe, expect, it } from 'vitest';
import { behaviourOf, parseImage, profileOf, sampleLatencyMs, seededRandom } from './catalogue.ts';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function latencies(image: string, n = 20_000): number[] {
  const random = seededRandom(7);
  const { latency } = behaviourOf(image);
  return Array.from({ length: n }, () => sampleLatencyMs(latency, random)).sort((a, b) => a - b);
}

describe('image catalogue', () => {
  it.each([
    ['registry.local/shop/checkout:1.0.0', 'stable', 0.002, 0.6],
    ['registry.local/shop/checkout:1.1.0-errors', 'errors', 0.08, 0.6],
    ['registry.local/shop/checkout:1.1.0-flaky', 'flaky', 0.015, 0.6],
    ['registry.local/shop/checkout:1.1.0-slow', 'slow', 0.002, 0.6],
    ['registry.local/shop/checkout:1.1.0-lowconv', 'lowconv', 0.002, 0.42],
    ['registry.local/shop/checkout:1.1.0', 'stable', 0.002, 0.6],
    ['registry.local/shop/checkout:errors-1.1.0', 'stable', 0.002, 0.6],
  ])('%s behaves as %s', (image, profile, errorRate, conversion) => {
    const b = behaviourOf(image);
    expect(b.profile).toBe(profile);
    expect(b.errorRate).toBeCloseTo(errorRate, 6);
    expect(b.conversionRate).toBeCloseTo(conversion, 6);
  });

  it.each([
    [
      'registry.local/shop/checkout:1.0.0',
      { repository: 'registry.local/shop/checkout', service: 'checkout', tag: '1.0.0' },
    ],
    [
      'localhost:5000/payments',
      { repository: 'localhost:5000/payments', service: 'payments', tag: 'latest' },
    ],
    [
      'localhost:5000/payments:2.0.0-slow@sha256:abc',
      { repository: 'localhost:5000/payments', service: 'payments', tag: '2.0.0-slow' },
    ],
    ['nginx', { repository: 'nginx', service: 'nginx', tag: 'latest' }],
  ])('parses %s', (image, ref) => {
    expect(parseImage(image)).toEqual(ref);
  });

  it('reads only the suffix of the tag', () => {
    expect(profileOf('2.0.0-slow')).toBe('slow');
    expect(profileOf('slow')).toBe('stable');
  });

  it('stable latency: median about 30 ms with a modest tail', () => {
    const l = latencies('registry.local/shop/checkout:1.0.0');
    expect(quantile(l, 0.5)).toBeGreaterThan(27);
    expect(quantile(l, 0.5)).toBeLessThan(33);
    expect(quantile(l, 0.99)).toBeGreaterThan(50);
    expect(quantile(l, 0.99)).toBeLessThan(100);
  });

  it('-slow moves p95 and p99 by about 250 ms but barely the median', () => {
    const stable = latencies('registry.local/shop/checkout:1.0.0');
    const slow = latencies('registry.local/shop/checkout:1.1.0-slow');
    expect(quantile(slow, 0.5) - quantile(stable, 0.5)).toBeLessThan(5);
    expect(quantile(slow, 0.95)).toBeGreaterThan(250);
    expect(quantile(slow, 0.99)).toBeGreaterThan(270);
  });
});
