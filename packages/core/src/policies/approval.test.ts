import type { ActionRequest } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { isPromotion, needsApproval, raisesTo, startIsPromotion } from './approval.ts';

const steps = [1, 5, 25, 50, 75, 100];
const on = { requireApproval: true, promotionThreshold: 50 };
const off = { requireApproval: false, promotionThreshold: 50 };

describe('needsApproval with the default promotion threshold (50%)', () => {
  const cases: { weight: number; action: ActionRequest; needs: boolean }[] = [
    { weight: 50, action: { type: 'promote' }, needs: true },
    { weight: 1, action: { type: 'promote', override: true, reason: 'r' }, needs: true },
    { weight: 75, action: { type: 'step' }, needs: true },
    { weight: 25, action: { type: 'step' }, needs: true },
    { weight: 5, action: { type: 'step' }, needs: false },
    { weight: 100, action: { type: 'step' }, needs: false },
    { weight: 5, action: { type: 'set-weight', weight: 100 }, needs: true },
    { weight: 5, action: { type: 'set-weight', weight: 99 }, needs: true },
    { weight: 5, action: { type: 'set-weight', weight: 50 }, needs: true },
    { weight: 5, action: { type: 'set-weight', weight: 49 }, needs: false },
    { weight: 75, action: { type: 'set-weight', weight: 60 }, needs: false },
    { weight: 75, action: { type: 'set-weight', weight: 0 }, needs: false },
    { weight: 75, action: { type: 'rollback', reason: 'bad' }, needs: false },
    { weight: 75, action: { type: 'pause' }, needs: false },
    { weight: 75, action: { type: 'resume' }, needs: false },
  ];
  for (const c of cases) {
    const what = `${c.action.type}${c.action.weight === undefined ? '' : ` ${c.action.weight}`} at ${c.weight}%`;
    it(`${what}: ${c.needs ? 'waits for approval' : 'goes ahead'} when the target requires approval`, () => {
      expect(needsApproval({ weight: c.weight, steps }, c.action, on)).toBe(c.needs);
      expect(isPromotion({ weight: c.weight, steps }, c.action, on)).toBe(c.needs);
    });
    it(`${what}: goes ahead when the target does not require approval`, () => {
      expect(needsApproval({ weight: c.weight, steps }, c.action, off)).toBe(false);
    });
  }
});

describe('the promotion threshold', () => {
  it('counts a set-weight just below 100 as a promotion (the 99% loophole)', () => {
    expect(isPromotion({ weight: 5, steps }, { type: 'set-weight', weight: 99 }, off)).toBe(true);
  });

  it('follows the policy: at 100 only promote and moves to 100 count', () => {
    const strictest = { promotionThreshold: 100 };
    expect(isPromotion({ weight: 5, steps }, { type: 'set-weight', weight: 99 }, strictest)).toBe(false);
    expect(isPromotion({ weight: 75, steps }, { type: 'step' }, strictest)).toBe(true);
    expect(isPromotion({ weight: 1, steps }, { type: 'step' }, { promotionThreshold: 5 })).toBe(true);
  });

  it('never counts a move down, however high it stays', () => {
    expect(raisesTo({ weight: 90, steps }, { type: 'set-weight', weight: 80 })).toBeNull();
    expect(isPromotion({ weight: 90, steps }, { type: 'set-weight', weight: 80 }, off)).toBe(false);
  });

  it('knows a plan whose last step is below the threshold never reaches it', () => {
    expect(needsApproval({ weight: 25, steps: [10, 25, 40] }, { type: 'step' }, on)).toBe(false);
    expect(needsApproval({ weight: 25, steps: [10, 25, 50] }, { type: 'step' }, on)).toBe(true);
  });

  it('counts a start whose first step is at or above the threshold', () => {
    expect(startIsPromotion([50, 100], on)).toBe(true);
    expect(startIsPromotion([49, 100], on)).toBe(false);
    expect(startIsPromotion([1, 5, 25], { promotionThreshold: 1 })).toBe(true);
  });
});
