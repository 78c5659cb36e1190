import { z } from 'zod';
import { RouterProvider } from './routers.ts';

export const rolloutPhases = [
  'starting',
  'progressing',
  'paused',
  'promoting',
  'promoted',
  'rolled-back',
] as const;
export const RolloutPhase = z.enum(rolloutPhases);
export type RolloutPhase = z.infer<typeof RolloutPhase>;

export const finalPhases: readonly RolloutPhase[] = ['promoted', 'rolled-back'];

/** Canary weight in percent of the target's traffic. */
export const Weight = z.number().int().min(0).max(100);

/** The default plan: a weight step list with a gate before each step. */
export const defaultSteps = [1, 5, 25, 50, 75, 100] as const;

/** Kubernetes object names: DNS-1123 labels (what a Service or namespace may be called). */
export const KubeName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS-1123 label, e.g. "checkout"');

/** A container image reference: registry/path:tag or @sha256 digest. */
export const ImageRef = z
  .string()
  .min(1)
  .max(512)
  .regex(
    /^[a-z0-9]+([._\-/:][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/i,
    'must be an image reference such as "registry.local/shop/checkout:1.1.0"',
  );

export const Steps = z
  .array(Weight.min(1))
  .min(1)
  .max(20)
  .refine(
    (s) => s.every((w, i) => i === 0 || w > s[i - 1]!),
    'steps must increase, e.g. [1, 5, 25, 50, 100]',
  );

export const Reason = z.string().trim().min(1).max(2_000);

export const TargetRef = z.object({
  namespace: KubeName,
  service: KubeName,
  router: RouterProvider,
});
export type TargetRef = z.infer<typeof TargetRef>;

export const Rollout = z.object({
  id: z.string(),
  target: TargetRef,
  stableImage: z.string(),
  canaryImage: z.string(),
  phase: RolloutPhase,
  /** The canary's live share in percent, as the cluster last reported it. */
  weight: Weight,
  /** Index into `steps` of the last step reached; -1 before the first. */
  stepIndex: z.number().int().min(-1),
  steps: z.array(Weight),
  /** Bumped on every change; send it back as `expectedVersion` for optimistic concurrency. */
  version: z.number().int().min(1),
  /** The cluster operation in flight, if any (a step, promotion or rollback under way). */
  operation: z.string().nullable(),
  /** Why it was started, as the release manager wrote it. */
  reason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rollout = z.infer<typeof Rollout>;

export const StartRolloutRequest = z.object({
  namespace: KubeName,
  service: KubeName,
  image: ImageRef,
  steps: Steps.refine(
    (s) => (s[0] ?? 0) < 100,
    'the first step must be below 100: a rollout reaches 100% only by stepping or promoting, under the target’s guardrails',
  ).optional(),
  reason: Reason.optional(),
});
export type StartRolloutRequest = z.infer<typeof StartRolloutRequest>;

export const actionTypes = ['step', 'set-weight', 'pause', 'resume', 'promote', 'rollback'] as const;
export const ActionType = z.enum(actionTypes);
export type ActionType = z.infer<typeof ActionType>;

export const ActionRequest = z
  .object({
    type: ActionType,
    weight: Weight.optional(),
    reason: Reason.optional(),
    expectedVersion: z.number().int().min(1).optional(),
    /** Act although the gate has not passed; needs a reason, and is recorded with the gate's evidence. */
    override: z.boolean().optional(),
  })
  .superRefine((a, ctx) => {
    if (a.override && !a.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'an override needs a reason saying why the gate is overridden',
      });
    }
    if (a.type === 'set-weight' && a.weight === undefined) {
      ctx.addIssue({ code: 'custom', path: ['weight'], message: 'set-weight needs a weight from 0 to 100' });
    }
    if (a.type !== 'set-weight' && a.weight !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['weight'],
        message: `weight is only for set-weight, not ${a.type}`,
      });
    }
    if (a.type === 'rollback' && !a.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rollback needs a reason' });
    }
  });
export type ActionRequest = z.infer<typeof ActionRequest>;

/**
 * What the history records: the actions people (or Aviary's guard) took, each written once it
 * happened in the cluster; `operation-failed` when the cluster refused; `drift-detected` when
 * someone changed the weights outside Aviary.
 */
export const eventActions = [
  'created',
  'canary-ready',
  'step',
  'set-weight',
  'pause',
  'resume',
  'promote',
  'rollback',
  'drift-detected',
  'operation-failed',
] as const;
export const EventAction = z.enum(eventActions);
export type EventAction = z.infer<typeof EventAction>;

export const RolloutEvent = z.object({
  id: z.number().int(),
  rolloutId: z.string(),
  at: z.string(),
  actor: z.string(),
  action: EventAction,
  fromWeight: Weight.nullable(),
  toWeight: Weight.nullable(),
  fromPhase: RolloutPhase.nullable(),
  toPhase: RolloutPhase.nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type RolloutEvent = z.infer<typeof RolloutEvent>;

/** How a rollout ended: the event that finished it, who or what did it, and why. */
export const RolloutEnding = z.object({
  at: z.string(),
  /** A person, or `aviary` for an automatic rollback. */
  actor: z.string(),
  action: EventAction,
  reason: z.string().nullable(),
});
export type RolloutEnding = z.infer<typeof RolloutEnding>;

/** A rollout in a list, with what its history says at a glance. */
export const RolloutListItem = Rollout.extend({
  /** The highest canary weight it reached. */
  peakWeight: Weight.optional(),
  /** Null while it runs. */
  ended: RolloutEnding.nullable().optional(),
});
export type RolloutListItem = z.infer<typeof RolloutListItem>;
