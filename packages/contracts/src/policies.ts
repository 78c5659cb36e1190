import { z } from 'zod';
import { ActionRequest, Rollout } from './rollouts.ts';

/**
 * Per-target policies (issue 6): a two-person rule for promotion, and change-freeze windows.
 * Rollback is never frozen and never needs a second person.
 */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(weekdays);

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. "16:00"');

/** A weekly window in the target's time zone, e.g. Friday 16:00 to Monday 08:00 Europe/Berlin. */
export const FreezeWindow = z.object({
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as "Europe/Berlin"'),
  start: z.object({ day: Weekday, time: TimeOfDay }),
  end: z.object({ day: Weekday, time: TimeOfDay }),
  reason: z.string().max(500).optional(),
});
export type FreezeWindow = z.infer<typeof FreezeWindow>;

/** The canary weight (percent) from which a move up counts as a promotion, unless a policy says otherwise. */
export const defaultPromotionThreshold = 50;

export const TargetPolicy = z.object({
  /** A promotion (see `promotionThreshold`) waits for a second operator's approval. */
  requireApproval: z.boolean().default(false),
  freezeWindows: z.array(FreezeWindow).max(20).default([]),
  /**
   * Any move of the canary's weight up to this percent or above (`step`, `set-weight`, a plan's
   * first step at start) counts as a promotion, like `promote` itself: the two-person rule
   * holds it and a freeze window refuses it.
   */
  promotionThreshold: z
    .number()
    .int('a whole percent, e.g. 50')
    .min(1, 'at least 1 (percent)')
    .max(100, 'at most 100 (percent)')
    .default(defaultPromotionThreshold),
});
export type TargetPolicy = z.infer<typeof TargetPolicy>;

export const TargetPolicyView = TargetPolicy.extend({
  namespace: z.string(),
  service: z.string(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** The window in force right now and when it ends, if promotion is frozen now. */
  frozen: z.object({ window: FreezeWindow, until: z.string() }).nullable(),
});
export type TargetPolicyView = z.infer<typeof TargetPolicyView>;

export const approvalStatuses = ['pending', 'approved', 'withdrawn', 'expired'] as const;
export const ApprovalStatus = z.enum(approvalStatuses);

/** An action waiting for a second operator. */
export const Approval = z.object({
  id: z.string(),
  rolloutId: z.string(),
  namespace: z.string(),
  service: z.string(),
  action: ActionRequest,
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** A pending approval not approved by then expires (status `expired`); request the action again. */
  expiresAt: z.string(),
  status: ApprovalStatus,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type Approval = z.infer<typeof Approval>;

export const ApprovalList = z.object({ items: z.array(Approval) });

/** What `POST /rollouts/:id/actions` answers (202) when the action waits for approval. */
export const PendingApprovalResponse = z.object({ approval: Approval, rollout: Rollout });

export const policyPaths = {
  targetPolicy: '/api/v1/targets/:namespace/:service/policy',
  approvals: '/api/v1/approvals',
  approve: '/api/v1/approvals/:id/approve',
  withdraw: '/api/v1/approvals/:id/withdraw',
} as const;
