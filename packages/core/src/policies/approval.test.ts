import type { ActionRequest } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { isPromotion, needsApproval } from './approval.ts';

const steps = [1, 5, 25, 50, 75, 100];
const on = { requireApproval: true };
const off = { requireApproval: false };

describe('needsApproval', () => {
  const cases: { weight: number; action: ActionRequest; needs: boolean }[] = [
    { weight: 50, action: { type: 'promote' }, needs: true },
    { weight: 1, action: { type: 'promote', override: true, reason: 'r' }, needs: true },
    { weight: 75, action: { type: 'step' }, needs: true },
    { weight: 50, action: { type: 'step' }, needs: false },
    { weight: 100, action: { type: 'step' }, needs: false },
    { weight: 5, action: { type: 'set-weight', weight: 100 }, needs: true },
    { weight: 5, action: { type: 'set-weight', weight: 99 }, needs: false },
    { weight: 75, action: { type: 'set-weight', weight: 0 }, needs: false },
    { weight: 75, action: { type: 'rollback', reason: 'bad' }, needs: false },
    { weight: 75, action: { type: 'pause' }, needs: false },
    { weight: 75, action: { type: 'resume' }, needs: false },
  ];
  for (const c of cases) {
    const what = `${c.action.type}${c.action.weight === undefined ? '' : ` ${c.action.weight}`} at ${c.weight}%`;
    it(`${what}: ${c.needs ? 'waits for approval' : 'goes ahead'} when the target requires approval`, () => {
      expect(needsApproval({ weight: c.weight, steps }, c.action, on)).toBe(c.needs);
      expect(isPromotion({ weight: c.weight, steps }, c.action)).toBe(c.needs);
    });
    it(`${what}: goes ahead when the target does not require approval`, () => {
      expect(needsApproval({ weight: c.weight, steps }, c.action, off)).toBe(false);
    });
  }

  it('knows a plan whose last step is below 100 never steps to 100', () => {
    expect(needsApproval({ weight: 25, steps: [10, 25, 50] }, { type: 'step' }, on)).toBe(false);
    expect(needsApproval({ weight: 50, steps: [10, 50, 100] }, { type: 'step' }, on)).toBe(true);
  });
});
