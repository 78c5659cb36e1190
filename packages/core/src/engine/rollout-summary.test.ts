import type { RolloutEvent } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import type { StoredRollout } from '../ports.ts';
import { rolloutSummary } from './rollout-summary.ts';

const rollout = (over: Partial<StoredRollout> = {}): StoredRollout => ({
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'istio' },
  stableImage: 'a:1',
  canaryImage: 'a:2',
  phase: 'rolled-back',
  weight: 0,
  stepIndex: -1,
  steps: [1, 5, 25, 100],
  version: 9,
  operation: null,
  reason: null,
  createdBy: 'alice',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:10:00.000Z',
  ...over,
});

let id = 0;
const event = (over: Partial<RolloutEvent>): RolloutEvent => ({
  id: ++id,
  rolloutId: 'r1',
  at: '2025-01-01T00:00:00.000Z',
  actor: 'alice',
  action: 'step',
  fromWeight: null,
  toWeight: null,
  fromPhase: 'progressing',
  toPhase: 'progressing',
  reason: null,
  details: null,
  ...over,
});

describe('rolloutSummary', () => {
  it('an automatic rollback: the peak weight, aviary as who, and the gate as why', () => {
    const events = [
      event({ action: 'created', toPhase: 'starting' }),
      event({ action: 'step', fromWeight: 0, toWeight: 1 }),
      event({ action: 'step', fromWeight: 1, toWeight: 25 }),
      event({
        action: 'rollback',
        actor: 'aviary',
        fromWeight: 25,
        toWeight: 0,
        toPhase: 'rolled-back',
        at: '2025-01-01T00:09:00.000Z',
        reason: 'gate failed: canary 5xx 8%',
      }),
    ];
    expect(rolloutSummary(rollout(), events)).toEqual({
      peakWeight: 25,
      ended: {
        at: '2025-01-01T00:09:00.000Z',
        actor: 'aviary',
        action: 'rollback',
        reason: 'gate failed: canary 5xx 8%',
      },
    });
  });

  it('a promotion peaks at 100%; a running rollout has not ended', () => {
    const promote = event({
      action: 'promote',
      actor: 'bob',
      fromWeight: 50,
      toWeight: 0,
      toPhase: 'promoted',
    });
    expect(rolloutSummary(rollout({ phase: 'promoted' }), [promote])).toMatchObject({
      peakWeight: 100,
      ended: { actor: 'bob', action: 'promote' },
    });
    expect(rolloutSummary(rollout({ phase: 'progressing', weight: 5 }), [])).toEqual({
      peakWeight: 5,
      ended: null,
    });
  });
});
