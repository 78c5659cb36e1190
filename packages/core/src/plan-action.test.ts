import type { ActionRequest, Rollout } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { canaryReplicasFor } from './capacity.ts';
import { planAction, stepIndexFor } from './plan-action.ts';

const rollout = (over: Partial<Rollout> = {}): Rollout => ({
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'gateway-api' },
  stableImage: 'img:1',
  canaryImage: 'img:2',
  phase: 'progressing',
  weight: 5,
  stepIndex: 1,
  steps: [1, 5, 25, 50, 75, 100],
  version: 7,
  operation: null,
  reason: null,
  createdBy: 'alice',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

const act = (a: Partial<ActionRequest> & Pick<ActionRequest, 'type'>) => a as ActionRequest;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
};

describe('planAction', () => {
  it.each([
    [
      'step from 5 goes to the next plan weight',
      rollout(),
      act({ type: 'step' }),
      { toWeight: 25, toStepIndex: 2, operation: 'set-weight' },
    ],
    [
      'step after a set-weight off the plan goes to the next weight above',
      rollout({ weight: 30, stepIndex: 2 }),
      act({ type: 'step' }),
      { toWeight: 50, toStepIndex: 3 },
    ],
    [
      'set-weight back down',
      rollout({ weight: 50, stepIndex: 3 }),
      act({ type: 'set-weight', weight: 10 }),
      { toWeight: 10, toStepIndex: 1, operation: 'set-weight' },
    ],
    [
      'set-weight down while paused is allowed',
      rollout({ phase: 'paused' }),
      act({ type: 'set-weight', weight: 1 }),
      { toWeight: 1, toPhase: 'paused' },
    ],
    [
      'pause keeps traffic',
      rollout(),
      act({ type: 'pause' }),
      { operation: null, toPhase: 'paused', toWeight: 5 },
    ],
    [
      'resume',
      rollout({ phase: 'paused' }),
      act({ type: 'resume' }),
      { operation: null, toPhase: 'progressing' },
    ],
    [
      'promote',
      rollout(),
      act({ type: 'promote' }),
      { operation: 'promote', duringPhase: 'promoting', toPhase: 'promoted', toWeight: 0 },
    ],
    [
      'rollback while paused',
      rollout({ phase: 'paused' }),
      act({ type: 'rollback', reason: 'x' }),
      { operation: 'rollback', toPhase: 'rolled-back', toWeight: 0 },
    ],
    [
      'rollback mid-promotion preempts it',
      rollout({ phase: 'promoting', operation: 'promote' }),
      act({ type: 'rollback', reason: 'x' }),
      { operation: 'rollback' },
    ],
    [
      'rollback while starting',
      rollout({ phase: 'starting', operation: 'start', weight: 0 }),
      act({ type: 'rollback', reason: 'x' }),
      { operation: 'rollback' },
    ],
  ])('%s', (_name, r, a, expected) => {
    expect(planAction(r, a)).toMatchObject(expected);
  });

  it.each([
    ['a paused rollout does not step', rollout({ phase: 'paused' }), act({ type: 'step' }), 'rollout-paused'],
    [
      'a paused rollout does not step up by set-weight',
      rollout({ phase: 'paused' }),
      act({ type: 'set-weight', weight: 50 }),
      'rollout-paused',
    ],
    [
      'a paused rollout does not promote',
      rollout({ phase: 'paused' }),
      act({ type: 'promote' }),
      'rollout-paused',
    ],
    [
      'the last step has no next step',
      rollout({ weight: 100, stepIndex: 5 }),
      act({ type: 'step' }),
      'no-next-step',
    ],
    ['a stale expectedVersion', rollout(), act({ type: 'pause', expectedVersion: 6 }), 'version-conflict'],
    [
      'a finished rollout accepts nothing',
      rollout({ phase: 'promoted' }),
      act({ type: 'rollback', reason: 'x' }),
      'rollout-finished',
    ],
    [
      'a rolled-back rollout is not rolled back again',
      rollout({ phase: 'rolled-back' }),
      act({ type: 'rollback', reason: 'x' }),
      'rollout-finished',
    ],
    [
      'a busy rollout refuses a step',
      rollout({ operation: 'set-weight' }),
      act({ type: 'step' }),
      'rollout-busy',
    ],
    [
      'a starting rollout cannot step yet',
      rollout({ phase: 'starting' }),
      act({ type: 'step' }),
      'invalid-action',
    ],
    ['resume needs a pause', rollout(), act({ type: 'resume' }), 'rollout-not-paused'],
    [
      'pause needs a progressing rollout',
      rollout({ phase: 'paused' }),
      act({ type: 'pause' }),
      'rollout-paused',
    ],
  ])('%s', (_name, r, a, code) => {
    expect(codeOf(() => planAction(r, a))).toBe(code);
  });
});

describe('stepIndexFor', () => {
  it.each([
    [0, -1],
    [1, 0],
    [4, 0],
    [25, 2],
    [100, 5],
  ])('weight %i is at step %i', (weight, index) => {
    expect(stepIndexFor([1, 5, 25, 50, 75, 100], weight)).toBe(index);
  });
});

describe('canaryReplicasFor', () => {
  it.each([
    [4, 0, 0],
    [4, 1, 1],
    [4, 25, 1],
    [4, 26, 2],
    [4, 100, 4],
    [10, 55, 6],
  ])('stable %i at weight %i needs %i canary replicas', (stable, weight, replicas) => {
    expect(canaryReplicasFor(stable, weight)).toBe(replicas);
  });
});
