import type { Verdict } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { allowedFixture, allowedForVerdict, rolloutFixture } from '../../test/fixtures.ts';
import { toActionButtons } from './actions.ts';

const buttons = (verdict: Verdict, answer = allowedForVerdict(verdict), r = rolloutFixture()) =>
  toActionButtons(r, answer, verdict);
const byType = (list: ReturnType<typeof toActionButtons>) => Object.fromEntries(list.map((a) => [a.type, a]));

describe('toActionButtons', () => {
  it.each([
    ['pass', 'step'],
    ['fail', 'rollback'],
    ['inconclusive', null],
  ] as const)('on %s the primary action is %s', (verdict, primary) => {
    const list = buttons(verdict);
    expect(list.filter((b) => b.primary).map((b) => b.type)).toEqual(primary ? [primary] : []);
  });

  it('on pass at the plan end, promotion is the way forward', () => {
    const answer = allowedFixture({ step: { allowed: false, reason: 'at the last step', toWeight: null } });
    expect(buttons('pass', answer).find((b) => b.primary)?.type).toBe('promote');
  });

  it('never makes an override primary', () => {
    const answer = allowedFixture({ step: { needsOverride: true }, promote: { needsOverride: true } });
    expect(buttons('pass', answer).some((b) => b.primary)).toBe(false);
  });

  it('never draws Promote next to Roll back', () => {
    for (const phase of ['progressing', 'paused'] as const)
      for (const verdict of ['pass', 'fail', 'inconclusive'] as const) {
        const types = buttons(verdict, allowedForVerdict(verdict), rolloutFixture({ phase })).map(
          (b) => b.type,
        );
        const gap = Math.abs(types.indexOf('promote') - types.indexOf('rollback'));
        expect(gap).toBeGreaterThan(1);
      }
  });

  it('shows the API refusal as the reason, and the next step from its answer', () => {
    const why = 'rollout r1 is paused; resume it before you step it';
    const answer = allowedFixture({
      step: { allowed: false, reason: why, code: 'rollout-paused' },
      resume: { allowed: true, reason: null, code: null },
      pause: { allowed: false, reason: 'paused already', code: 'rollout-paused' },
    });
    const b = byType(buttons('pass', answer, rolloutFixture({ phase: 'paused' })));
    expect(b.step).toMatchObject({ enabled: false, reason: why, label: 'Next step' });
    expect(b.resume).toMatchObject({ enabled: true });
    expect(b.pause).toBeUndefined();
    expect(byType(buttons('pass')).step).toMatchObject({ enabled: true, label: 'Next step → 25%' });
  });

  it('asks for a confirmation where the API needs an override or a reason', () => {
    const b = byType(buttons('inconclusive'));
    expect(b.step).toMatchObject({ override: true, confirm: true });
    expect(byType(buttons('pass')).step).toMatchObject({ override: false, confirm: false });
    expect(b.rollback).toMatchObject({ confirm: true, override: false });
  });

  it('disables everything (without a reason) until the answer is in', () => {
    const list = toActionButtons(rolloutFixture(), undefined, 'pass');
    expect(list.every((b) => !b.enabled && b.reason === null && !b.primary)).toBe(true);
  });
});
