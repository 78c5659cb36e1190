import { describe, expect, it } from 'vitest';
import { ErrorBody, ErrorCode, RolloutPhase, Weight, defaultSteps, errorStatus } from './index.ts';

describe('contracts', () => {
  it('accepts only whole weights from 0 to 100', () => {
    expect(Weight.safeParse(25).success).toBe(true);
    expect(Weight.safeParse(101).success).toBe(false);
    expect(Weight.safeParse(2.5).success).toBe(false);
    expect(Weight.safeParse(-1).success).toBe(false);
  });

  it('has a default plan that ends at full traffic and only goes up', () => {
    expect(defaultSteps.at(-1)).toBe(100);
    expect([...defaultSteps].every((w, i, a) => i === 0 || w > (a[i - 1] ?? 0))).toBe(true);
  });

  it('names the rollout phases the API reports', () => {
    expect(RolloutPhase.options).toContain('rolled-back');
    expect(RolloutPhase.safeParse('aborted').success).toBe(false);
  });

  it('rejects an error body without a code', () => {
    expect(ErrorBody.safeParse({ error: { message: 'x' } }).success).toBe(false);
  });

  it('keeps the details of an error body when it serializes one', () => {
    const sent = { error: { code: 'version-conflict', message: 'reload', details: { currentVersion: 7 } } };
    expect(ErrorBody.parse(sent)).toEqual(sent);
  });

  it('allows only the codes of the enum, each with a 4xx or 5xx status', () => {
    expect(ErrorBody.safeParse({ error: { code: 'something-new', message: 'x' } }).success).toBe(false);
    expect(ErrorCode.options.length).toBe(Object.keys(errorStatus).length);
    for (const code of ErrorCode.options) expect(errorStatus[code]).toBeGreaterThanOrEqual(400);
  });
});
