import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/ApiError.ts';
import { policyFixture } from '../../test/fixtures.ts';
import {
  apiFieldErrors,
  errorFor,
  fromDraft,
  newWindow,
  normalizeField,
  toDraft,
  validateDraft,
} from './policyForm.ts';

describe('the policy editor', () => {
  it('round-trips a policy', () => {
    const policy = policyFixture({
      requireApproval: true,
      freezeWindows: [
        {
          timezone: 'Europe/Berlin',
          start: { day: 'fri', time: '16:00' },
          end: { day: 'mon', time: '08:00' },
        },
      ],
    });
    expect(fromDraft(toDraft(policy))).toEqual({
      requireApproval: true,
      freezeWindows: policy.freezeWindows,
      promotionThreshold: 50,
    });
  });

  it('edits the promotion threshold and refuses one outside 1–100 next to its field', () => {
    const draft = toDraft(policyFixture({ promotionThreshold: 25 }));
    expect(draft.promotionThreshold).toBe('25');
    expect(fromDraft({ ...draft, promotionThreshold: '80' }).promotionThreshold).toBe(80);
    expect(validateDraft({ ...draft, promotionThreshold: '0' }).promotionThreshold).toMatch(/at least 1/);
    expect(validateDraft({ ...draft, promotionThreshold: '101' }).promotionThreshold).toMatch(/at most 100/);
    expect(validateDraft({ ...draft, promotionThreshold: '' }).promotionThreshold).toBeDefined();
    expect(validateDraft({ ...draft, promotionThreshold: '62.5' }).promotionThreshold).toMatch(/whole/);
  });

  it('checks the fields as the API does, by path', () => {
    const draft = {
      requireApproval: false,
      promotionThreshold: '50',
      windows: [{ ...newWindow('Nowhere/Atlantis'), endTime: '25:00' }],
    };
    const errors = validateDraft(draft);
    expect(errors['freezeWindows.0.timezone']).toMatch(/IANA time zone/);
    expect(errors['freezeWindows.0.end.time']).toMatch(/HH:MM/);
    expect(errorFor(errors, 'freezeWindows.0.end')).toMatch(/HH:MM/);
    expect(
      validateDraft({ requireApproval: true, promotionThreshold: '50', windows: [newWindow('UTC')] }),
    ).toEqual({});
  });

  it('puts the API’s refusal next to its field, however the field is spelt', () => {
    expect(normalizeField('freezeWindows[0].timezone')).toBe('freezeWindows.0.timezone');
    expect(normalizeField('/freezeWindows/1/start/time')).toBe('freezeWindows.1.start.time');
    expect(normalizeField('body.requireApproval')).toBe('requireApproval');
    const err = new ApiError(400, 'invalid-request', 'unknown time zone', 'freezeWindows[0].timezone');
    expect(apiFieldErrors(err)).toEqual({ 'freezeWindows.0.timezone': 'unknown time zone' });
    expect(apiFieldErrors(new ApiError(403, 'forbidden', 'admins only'))).toEqual({ '': 'admins only' });
  });
});
