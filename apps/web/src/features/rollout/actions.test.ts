import type { GateResult, Rollout } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { availableActions, nextStepWeight } from './actions.ts';

const rollout = (over: Partial<Rollout> = {}): Rollout => ({
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'gateway-api' },
  stableImage: 'a:1',
  canaryImage: 'a:2',
  phase: 'progressing',
  weight: 5,
  stepIndex: 1,
  steps: [1, 5, 25, 100],
  version: 3,
  operation: null,
  reason: null,
  createdBy: 'admin',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...over,
});

const gate = (verdict: GateResult['verdict']): GateResult => ({
  verdict,
  evaluatedAt: 'x',
  stepStartedAt: 'x',
  bakeSecondsRemaining: 0,
  canaryRequestRate: 1,
  checks: [],
  summary: verdict,
});

const byType = (list: ReturnType<typeof availableActions>) =>
  Object.fromEntries(list.map((a) => [a.type, a]));

describe('availableActions', () => {
  it('disables everything when the role may not act, and says why', () => {
    const why = 'Viewers can watch, not act; ask an operator';
    const actions = availableActions(rollout(), gate('pass'), why);
    expect(actions.every((a) => !a.enabled && a.reason === why)).toBe(true);
  });

  it('a viewer may not roll back a starting canary either', () => {
    const a = byType(availableActions(rollout({ phase: 'starting' }), gate('pass'), 'no'));
    expect(a.rollback?.enabled).toBe(false);
    const op = byType(availableActions(rollout({ phase: 'starting' }), gate('pass'), null));
    expect(op.rollback?.enabled).toBe(true);
  });

  it('steps without override when the gate passed', () => {
    const a = byType(availableActions(rollout(), gate('pass'), null));
    expect(a.step).toMatchObject({ enabled: true, override: false, label: 'Next step → 25%' });
    expect(a.promote).toMatchObject({ enabled: true, override: false, confirm: true });
    expect(a.rollback).toMatchObject({ enabled: true, confirm: true });
  });

  it('needs an override (and a confirmation) when the gate has not passed', () => {
    const a = byType(availableActions(rollout(), gate('inconclusive'), null));
    expect(a.step).toMatchObject({ enabled: true, override: true, confirm: true });
    expect(a.promote).toMatchObject({ override: true });
  });

  it.each([
    ['paused', rollout({ phase: 'paused' }), 'step', /resume first/],
    ['busy', rollout({ operation: 'set-weight' }), 'step', /under way/],
    ['finished', rollout({ phase: 'rolled-back' }), 'rollback', /rolled-back/],
    ['at the last step', rollout({ weight: 100 }), 'step', /No next step/],
  ])('%s: %s is disabled with a reason', (_name, r, type, reason) => {
    const a = availableActions(r, gate('pass'), null).find((x) => x.type === type);
    expect(a?.enabled).toBe(false);
    expect(a?.reason).toMatch(reason);
  });

  it('offers resume instead of pause while paused, and rollback while busy', () => {
    const paused = byType(availableActions(rollout({ phase: 'paused' }), gate('pass'), null));
    expect(paused.resume?.enabled).toBe(true);
    expect(paused.pause).toBeUndefined();
    const busy = byType(availableActions(rollout({ operation: 'set-weight' }), gate('pass'), null));
    expect(busy.rollback?.enabled).toBe(true);
  });

  it('knows the next step', () => {
    expect(nextStepWeight(rollout())).toBe(25);
    expect(nextStepWeight(rollout({ weight: 100 }))).toBeNull();
  });
});
