import type { AuditAction, RolloutPhase } from '@aviary/contracts';

export interface RolloutListFilter {
  namespace?: string;
  service?: string;
  phase?: RolloutPhase;
  active?: boolean;
  limit?: number;
}

/** The audit API's filters, as sent (ISO instants; empty ones left out). */
export interface AuditApiQuery {
  actor?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
}

/** Every react-query key in one place, so the stream and mutations update the right entries. */
export const queryKeys = {
  info: ['info'] as const,
  me: ['me'] as const,
  users: ['users'] as const,
  settings: ['settings'] as const,
  audit: (query: AuditApiQuery) => ['audit', query] as const,
  targets: ['targets'] as const,
  profile: (namespace: string, service: string) => ['targets', namespace, service, 'profile'] as const,
  policy: (namespace: string, service: string) => ['targets', namespace, service, 'policy'] as const,
  approvals: ['approvals'] as const,
  /** Pending approvals, of one rollout or (null) of all. */
  pendingApprovals: (rolloutId: string | null) => ['approvals', 'pending', rolloutId] as const,
  rollouts: ['rollouts'] as const,
  rolloutLists: ['rollouts', 'list'] as const,
  rolloutList: (filter: RolloutListFilter) => ['rollouts', 'list', filter] as const,
  rolloutPages: (filter: RolloutListFilter) => ['rollouts', 'pages', filter] as const,
  rollout: (id: string) => ['rollout', id, 'detail'] as const,
  events: (id: string) => ['rollout', id, 'events'] as const,
  gate: (id: string) => ['rollout', id, 'gate'] as const,
  /** What the signed-in person may do to the rollout now (the API judges; see allowed-actions). */
  allowedActions: (id: string) => ['rollout', id, 'actions'] as const,
  metrics: (id: string) => ['rollout', id, 'metrics'] as const,
};
