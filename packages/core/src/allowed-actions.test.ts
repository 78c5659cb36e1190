import type { ActionRequest, ActionType, GateResult, RolloutPhase } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { FakeCluster, MemoryHistory } from '../test/fakes.ts';
import { allowedActions } from './allowed-actions.ts';
import { RolloutEngine } from './engine/rollout-engine.ts';
import { DomainError } from './errors.ts';
import type { PendingOperation, StoredRollout } from './ports.ts';

const gate = (verdict: GateResult['verdict']): GateResult => ({
  verdict,
  evaluatedAt: '2025-01-01T00:00:00.000Z',
  stepStartedAt: '2025-01-01T00:00:00.000Z',
  bakeSecondsRemaining: 0,
  canaryRequestRate: 5,
  checks: [],
  summary: `gate says ${verdict}`,
});

const operation: PendingOperation = {
  type: 'set-weight',
  action: 'step',
  actor: 'alice',
  reason: null,
  fromWeight: 5,
  toWeight: 25,
  toStepIndex: 2,
  fromPhase: 'progressing',
  toPhase: 'progressing',
  startedAt: '2025-01-01T00:00:00.000Z',
  token: 't',
};

const rollout = (over: Partial<StoredRollout> = {}): StoredRollout => ({
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'istio' },
  stableImage: 'a:1',
  canaryImage: 'a:2',
  phase: 'progressing',
  weight: 5,
  stepIndex: 1,
  steps: [1, 5, 25, 100],
  version: 3,
  operation: null,
  reason: null,
  createdBy: 'alice',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...over,
});

const byType = (list: ReturnType<typeof allowedActions>) =>
  Object.fromEntries(list.map((a) => [a.type, a])) as Record<ActionType, (typeof list)[number]>;

const judge = (
  r: StoredRollout,
  verdict: GateResult['verdict'] | null = 'pass',
  denied: string | null = null,
) => byType(allowedActions(r, { gate: verdict ? gate(verdict) : null, gated: true, denied }));

describe('allowedActions', () => {
  it('refuses everything with the same reason when the caller may not act', () => {
    const why = 'this needs the operator role and carol has viewer; ask an admin for operator access';
    const all = Object.values(judge(rollout(), 'pass', why));
    expect(all).toHaveLength(6);
    for (const a of all) expect(a).toMatchObject({ allowed: false, reason: why, code: 'forbidden' });
  });

  it('on a passing gate: steps to the next weight and promotes without override', () => {
    const a = judge(rollout());
    expect(a.step).toMatchObject({ allowed: true, toWeight: 25, needsOverride: false, needsReason: false });
    expect(a.promote).toMatchObject({ allowed: true, toWeight: 100, needsOverride: false });
    expect(a.rollback).toMatchObject({ allowed: true, toWeight: 0, needsReason: true });
    expect(a.resume).toMatchObject({ allowed: false, code: 'rollout-not-paused' });
  });

  it.each(['inconclusive', 'fail', null] as const)(
    'on a gate that is %s: stepping up needs an override with a reason; rollback and pause do not',
    (verdict) => {
      const a = judge(rollout(), verdict);
      for (const t of ['step', 'promote', 'set-weight'] as const)
        expect(a[t]).toMatchObject({ allowed: true, needsOverride: true, needsReason: true });
      expect(a.pause).toMatchObject({ allowed: true, needsOverride: false, needsReason: false });
      expect(a.rollback).toMatchObject({ allowed: true, needsOverride: false });
    },
  );

  it('without a gate keeper nothing needs an override', () => {
    const a = byType(allowedActions(rollout(), { gate: null, gated: false, denied: null }));
    expect(a.step.needsOverride).toBe(false);
  });

  const refusals: [string, Partial<StoredRollout>, ActionType, string][] = [
    ['paused', { phase: 'paused' }, 'step', 'rollout-paused'],
    ['paused', { phase: 'paused' }, 'promote', 'rollout-paused'],
    ['paused', { phase: 'paused' }, 'pause', 'rollout-paused'],
    ['busy', { operation }, 'step', 'rollout-busy'],
    ['busy', { operation }, 'pause', 'rollout-busy'],
    ['at the last step', { weight: 100, stepIndex: 3 }, 'step', 'no-next-step'],
    ['finished', { phase: 'rolled-back' as RolloutPhase }, 'rollback', 'rollout-finished'],
    ['starting', { phase: 'starting' }, 'step', 'invalid-action'],
  ];
  it.each(refusals)('%s: %s is refused with code %s', (_name, over, type, code) => {
    const a = judge(rollout(over))[type];
    expect(a).toMatchObject({ allowed: false, code });
    expect(a.reason).toEqual(expect.any(String));
  });

  it('a rollback is accepted while busy and while starting', () => {
    expect(judge(rollout({ operation })).rollback.allowed).toBe(true);
    expect(judge(rollout({ phase: 'starting' })).rollback.allowed).toBe(true);
  });

  it('paused: the weight may still go down, so set-weight stays allowed', () => {
    expect(judge(rollout({ phase: 'paused' }))['set-weight'].allowed).toBe(true);
  });

  it('applies the guardrails the caller passes, after the plan and before the gate', () => {
    const frozen = new DomainError(
      'change-frozen',
      'promotion is frozen until Monday; roll back is always allowed',
    );
    const screen = (action: ActionRequest) =>
      action.type === 'promote'
        ? { refusal: frozen, needsApproval: false }
        : { refusal: null, needsApproval: action.type === 'step' };
    const a = byType(allowedActions(rollout(), { gate: gate('pass'), gated: true, denied: null, screen }));
    expect(a.promote).toMatchObject({ allowed: false, code: 'change-frozen', reason: frozen.message });
    expect(a.step).toMatchObject({ allowed: true, needsApproval: true });
    expect(a.rollback).toMatchObject({ allowed: true, needsApproval: false });
  });
});

describe('allowedActions agrees with what the engine accepts', () => {
  const phases: Partial<StoredRollout>[] = [
    {},
    { phase: 'paused' },
    { operation },
    { weight: 100, stepIndex: 3 },
    { phase: 'promoted' },
  ];
  const verdicts = ['pass', 'inconclusive', 'fail'] as const;
  const requests: Record<ActionType, ActionRequest> = {
    step: { type: 'step' },
    'set-weight': { type: 'set-weight', weight: 5 },
    pause: { type: 'pause' },
    resume: { type: 'resume' },
    promote: { type: 'promote' },
    rollback: { type: 'rollback', reason: 'bad' },
  };

  for (const over of phases)
    for (const verdict of verdicts)
      it(`${JSON.stringify(over)} on ${verdict}`, () => {
        const history = new MemoryHistory();
        const cluster = new FakeCluster();
        const engine = new RolloutEngine({
          history,
          router: cluster,
          workloads: cluster,
          gates: { current: () => gate(verdict) },
        });
        const r = rollout(over);
        history.rollouts.set(r.id, r);
        for (const a of engine.allowedActions(r.id, { denied: null })) {
          // Raise the weight where that is possible, else lower it (as a paused rollout may).
          const weight = r.phase === 'paused' ? r.weight : Math.min(100, r.weight + 1);
          const plain = a.type === 'set-weight' ? { ...requests[a.type], weight } : requests[a.type];
          const request = a.needsOverride ? { ...plain, override: true, reason: 'checked by hand' } : plain;
          const outcome = (() => {
            try {
              engine.check(r.id, request);
              return null;
            } catch (err) {
              return (err as DomainError).code;
            }
          })();
          expect({ type: a.type, code: outcome }).toEqual({ type: a.type, code: a.code });
          // And without the override, a gated action is refused by the gate.
          if (a.needsOverride)
            expect(() => engine.check(r.id, plain)).toThrow(
              expect.objectContaining({ code: 'gate-not-passed' }),
            );
        }
      });
});
