import { z } from 'zod';
import { MetricsSource, RouterCapabilities, RouterObject, RouterProvider } from './routers.ts';
import { GateResult, MetricPoint } from './gates.ts';
import { Approval } from './policies.ts';
import { Rollout, RolloutEvent, RolloutListItem, RolloutPhase } from './rollouts.ts';

/** Route paths, shared by the API and the dashboard's fetch layer. */
export const paths = {
  targets: '/api/v1/targets',
  rollouts: '/api/v1/rollouts',
  rollout: '/api/v1/rollouts/:id',
  rolloutEvents: '/api/v1/rollouts/:id/events',
  rolloutActions: '/api/v1/rollouts/:id/actions',
  rolloutGate: '/api/v1/rollouts/:id/gate',
  rolloutMetrics: '/api/v1/rollouts/:id/metrics',
  targetProfile: '/api/v1/targets/:namespace/:service/profile',
  stream: '/api/v1/stream',
  info: '/api/v1/info',
  openapi: '/api/openapi.json',
  docs: '/api/docs',
} as const;

export const TrafficSplit = z.object({ stable: z.number(), canary: z.number() });

export const Target = z.object({
  namespace: z.string(),
  service: z.string(),
  router: RouterProvider,
  /** The router's objects this target's split lives in (and the ones it depends on). */
  objects: z.array(RouterObject),
  metrics: MetricsSource,
  capabilities: RouterCapabilities,
  weights: TrafficSplit.nullable(),
  stableImage: z.string().nullable(),
  stableReplicas: z.number().nullable(),
  /** Empty when Aviary can canary this service; otherwise what the cluster still needs. */
  problems: z.array(z.string()),
  activeRolloutId: z.string().nullable(),
});
export type Target = z.infer<typeof Target>;

export const TargetList = z.object({ items: z.array(Target) });

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListRolloutsQuery = z.object({
  namespace: z.string().optional(),
  service: z.string().optional(),
  phase: RolloutPhase.optional(),
  active: booleanQuery.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListRolloutsQuery = z.infer<typeof ListRolloutsQuery>;

export const RolloutList = z.object({ items: z.array(RolloutListItem), nextCursor: z.string().nullable() });
export type RolloutList = z.infer<typeof RolloutList>;

export const ListEventsQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const EventList = z.object({ items: z.array(RolloutEvent) });
export type EventList = z.infer<typeof EventList>;

export const RolloutIdParams = z.object({ id: z.string().min(1).max(100) });

export const Readiness = z.object({
  status: z.enum(['ready', 'not-ready']),
  // Only whether each check passed: /readyz is public, so why one failed goes to the log.
  checks: z.record(z.string(), z.object({ ok: z.boolean() })),
});

/** Server-Sent Events on /api/v1/stream. */
export const StreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('rollout'), rollout: Rollout }),
  z.object({ type: z.literal('event'), event: RolloutEvent }),
  z.object({ type: z.literal('gate'), rolloutId: z.string(), gate: GateResult }),
  z.object({ type: z.literal('metrics'), rolloutId: z.string(), points: z.array(MetricPoint) }),
  /** An approval was requested, approved or withdrawn (the two-person rule). */
  z.object({ type: z.literal('approval'), approval: Approval }),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

/** What the dashboard needs to know about the server it talks to. */
export const ServerInfo = z.object({
  version: z.string(),
  /** Running on the sandbox stand-in cluster (the dashboard shows a banner). */
  sandbox: z.boolean(),
  gateIntervalSeconds: z.number(),
  prometheus: z.boolean(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;
