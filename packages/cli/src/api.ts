import {
  type ActionRequest,
  ApprovalList,
  EventList,
  GateResponse,
  type GateResult,
  Me,
  MetricsResponse,
  PendingApprovalResponse,
  Rollout,
  RolloutList,
  type StartRolloutRequest,
  TargetList,
  TargetPolicyView,
  authPaths,
  paths,
  policyPaths,
} from '@aviary/contracts';
import { z } from 'zod';
import { type ApiClient, pathOf } from './client.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** The API calls the commands make, each typed by the contracts schema of its answer. */
export const api = {
  me: async (c: ApiClient) => (await c.request('GET', authPaths.me, Me)).body,
  targets: async (c: ApiClient) => (await c.request('GET', paths.targets, TargetList)).body.items,
  rollout: async (c: ApiClient, id: string) =>
    (await c.request('GET', pathOf(paths.rollout, { id }), Rollout)).body,
  rollouts: async (
    c: ApiClient,
    query: { namespace?: string; service?: string; active?: boolean; limit?: number; cursor?: string },
  ) => (await c.request('GET', paths.rollouts, RolloutList, { query })).body,
  gate: async (c: ApiClient, id: string): Promise<GateResult> => {
    const { rolloutId: _, ...gate } = (
      await c.request('GET', pathOf(paths.rolloutGate, { id }), GateResponse)
    ).body;
    return gate;
  },
  events: async (c: ApiClient, id: string) =>
    (await c.request('GET', pathOf(paths.rolloutEvents, { id }), EventList, { query: { limit: 1000 } })).body
      .items,
  metrics: async (c: ApiClient, id: string) =>
    (await c.request('GET', pathOf(paths.rolloutMetrics, { id }), MetricsResponse)).body,
  policy: async (c: ApiClient, namespace: string, service: string) =>
    (await c.request('GET', pathOf(policyPaths.targetPolicy, { namespace, service }), TargetPolicyView)).body,
  start: async (c: ApiClient, body: StartRolloutRequest) =>
    (await c.request('POST', paths.rollouts, Rollout, { body })).body,
  /** An action; a promotion held for a second approver comes back as `{approval, rollout}`. */
  act: async (c: ApiClient, id: string, body: ActionRequest) =>
    (
      await c.request(
        'POST',
        pathOf(paths.rolloutActions, { id }),
        z.union([PendingApprovalResponse, Rollout]),
        {
          body,
        },
      )
    ).body,
  pendingApprovals: async (c: ApiClient, rolloutId: string) =>
    (await c.request('GET', policyPaths.approvals, ApprovalList, { query: { status: 'pending', rolloutId } }))
      .body.items,
  approve: async (c: ApiClient, id: string) =>
    (await c.request('POST', pathOf(policyPaths.approve, { id }), Rollout, { body: {} })).body,
};

const targetRef = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

/** `NS/SVC` → namespace and service; null when the text is not one. */
export function parseTarget(ref: string): { namespace: string; service: string } | null {
  const m = targetRef.exec(ref);
  return m ? { namespace: m[1]!, service: m[3]! } : null;
}

/**
 * A rollout named by its id, or by its target: the target's active rollout, or with
 * `latest` its newest one whatever its phase.
 */
export async function resolveRollout(c: ApiClient, ref: string, opts: { latest?: boolean } = {}) {
  const target = parseTarget(ref);
  if (!target) return api.rollout(c, ref);
  const page = await api.rollouts(c, { ...target, limit: 1, ...(opts.latest ? {} : { active: true }) });
  const found = page.items[0];
  if (!found) {
    throw new CliError(
      `${ref} has no ${opts.latest ? '' : 'active '}rollout; start one with \`aviary start ${ref} --image <image>\``,
      ExitCode.error,
      'rollout-not-found',
    );
  }
  return found;
}

export type ActionAnswer = Awaited<ReturnType<typeof api.act>>;

export const isPendingApproval = (a: ActionAnswer): a is z.infer<typeof PendingApprovalResponse> =>
  'approval' in a;

/** A promotion held for a second approver blocks a pipeline: exit 4 saying who must do what. */
export function blockedByApproval(answer: z.infer<typeof PendingApprovalResponse>): CliError {
  const { approval } = answer;
  return new CliError(
    `${approval.action.type} of ${approval.namespace}/${approval.service} waits for a second operator: another operator runs \`aviary approve ${approval.rolloutId}\` (approval ${approval.id})`,
    ExitCode.blocked,
    'approval-required',
    { approval, rollout: answer.rollout },
  );
}
