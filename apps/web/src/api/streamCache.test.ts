import type { MetricPoint, MetricsResponse, Rollout, RolloutEvent } from '@aviary/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from './queryKeys.ts';
import { appendEventToMetrics, appendPoints, applyStreamMessage } from './streamCache.ts';

const point = (at: string, arm: 'canary' | 'stable', errorRate = 0.01): MetricPoint => ({
  at,
  arm,
  requestRate: 10,
  errorRate,
  p50: 30,
  p95: 60,
  p99: 80,
  business: {},
});

const metrics: MetricsResponse = {
  rolloutId: 'r1',
  from: '2025-01-01T00:00:00.000Z',
  to: '2025-01-01T00:00:10.000Z',
  step: 1,
  canary: [point('2025-01-01T00:00:10.000Z', 'canary')],
  stable: [point('2025-01-01T00:00:10.000Z', 'stable')],
  weight: [{ at: '2025-01-01T00:00:00.000Z', weight: 1 }],
  annotations: [],
  thresholds: { errorRate: 0.05, latencyMs: 100 },
};

const event = (over: Partial<RolloutEvent>): RolloutEvent => ({
  id: 7,
  rolloutId: 'r1',
  at: '2025-01-01T00:00:12.000Z',
  actor: 'admin',
  action: 'step',
  fromWeight: 1,
  toWeight: 5,
  fromPhase: 'progressing',
  toPhase: 'progressing',
  reason: 'looks fine',
  details: null,
  ...over,
});

describe('appendPoints', () => {
  it('appends only points newer than each arm’s last, and moves `to`', () => {
    const next = appendPoints(metrics, [
      point('2025-01-01T00:00:10.000Z', 'canary'),
      point('2025-01-01T00:00:11.000Z', 'canary'),
      point('2025-01-01T00:00:11.000Z', 'stable'),
    ]);
    expect(next?.canary.map((p) => p.at)).toEqual(['2025-01-01T00:00:10.000Z', '2025-01-01T00:00:11.000Z']);
    expect(next?.stable).toHaveLength(2);
    expect(next?.to).toBe('2025-01-01T00:00:11.000Z');
  });

  it('leaves an uncached response alone', () => {
    expect(appendPoints(undefined, [point('2025-01-01T00:00:11.000Z', 'canary')])).toBeUndefined();
  });
});

describe('appendEventToMetrics', () => {
  it('adds a marker and a weight change', () => {
    const next = appendEventToMetrics(metrics, event({}));
    expect(next?.annotations).toEqual([
      { at: '2025-01-01T00:00:12.000Z', action: 'step', actor: 'admin', reason: 'looks fine', toWeight: 5 },
    ]);
    expect(next?.weight.at(-1)).toEqual({ at: '2025-01-01T00:00:12.000Z', weight: 5 });
  });

  it('adds a marker but no weight change for a pause', () => {
    const next = appendEventToMetrics(metrics, event({ action: 'pause', toWeight: 1 }));
    expect(next?.weight).toHaveLength(1);
    expect(next?.annotations).toHaveLength(1);
  });
});

describe('applyStreamMessage', () => {
  const rollout = (version: number, phase: Rollout['phase'] = 'progressing'): Rollout => ({
    id: 'r1',
    target: { namespace: 'shop', service: 'checkout', router: 'gateway-api' },
    stableImage: 'a:1',
    canaryImage: 'a:2',
    phase,
    weight: 5,
    stepIndex: 1,
    steps: [1, 5, 25],
    version,
    operation: null,
    reason: null,
    createdBy: 'admin',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  });

  it('sets the rollout and replaces it inside cached lists, keeping the newest version', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.rolloutList({ active: true }), { items: [rollout(1)], nextCursor: null });
    applyStreamMessage(client, { type: 'rollout', rollout: rollout(3) });
    applyStreamMessage(client, { type: 'rollout', rollout: rollout(2) });
    expect(client.getQueryData<Rollout>(queryKeys.rollout('r1'))?.version).toBe(3);
    expect(
      client.getQueryData<{ items: Rollout[] }>(queryKeys.rolloutList({ active: true }))?.items[0]?.version,
    ).toBe(3);
  });

  it('appends events once and stores gate results', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.events('r1'), { items: [] });
    applyStreamMessage(client, { type: 'event', event: event({}) });
    applyStreamMessage(client, { type: 'event', event: event({}) });
    expect(client.getQueryData<{ items: unknown[] }>(queryKeys.events('r1'))?.items).toHaveLength(1);
    applyStreamMessage(client, {
      type: 'gate',
      rolloutId: 'r1',
      gate: {
        verdict: 'pass',
        evaluatedAt: 'x',
        stepStartedAt: 'x',
        bakeSecondsRemaining: 0,
        canaryRequestRate: 1,
        checks: [],
        summary: 'ok',
      },
    });
    expect(client.getQueryData<{ verdict: string }>(queryKeys.gate('r1'))?.verdict).toBe('pass');
  });
});
