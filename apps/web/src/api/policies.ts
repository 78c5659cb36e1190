import {
  type Approval,
  type Rollout,
  type TargetPolicy,
  type TargetPolicyView,
  policyPaths,
} from '@aviary/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, route } from './fetch.ts';
import { queryKeys } from './queryKeys.ts';

type ApprovalList = { items: Approval[] };
/** What the actions route answers (202) when the action waits for a second operator. */
export interface PendingApproval {
  approval: Approval;
  rollout: Rollout;
}

export const isPendingApproval = (v: Rollout | PendingApproval): v is PendingApproval =>
  'approval' in v && typeof v.approval === 'object' && v.approval !== null;

/** A target's policy: two-person rule, freeze windows, and whether it is frozen now. */
export const usePolicy = (namespace: string, service: string, enabled = true) =>
  useQuery({
    queryKey: queryKeys.policy(namespace, service),
    queryFn: ({ signal }) =>
      apiFetch<TargetPolicyView>(route(policyPaths.targetPolicy, { namespace, service }), { signal }),
    enabled,
    // `frozen` is computed by the server at read time: look again now and then.
    refetchInterval: 60_000,
  });

/** Pending approvals of one rollout, or of every rollout (`null`). */
export const usePendingApprovals = (rolloutId: string | null, enabled = true) =>
  useQuery({
    queryKey: queryKeys.pendingApprovals(rolloutId),
    queryFn: ({ signal }) =>
      apiFetch<ApprovalList>(policyPaths.approvals, {
        query: { status: 'pending', rolloutId: rolloutId ?? undefined },
        signal,
      }),
    select: (data) => data.items,
    enabled,
  });

const isOf = (key: readonly unknown[], approval: Approval) =>
  key[2] === null || key[2] === approval.rolloutId;

/** Put an approval into (or, once decided, take it out of) every cached pending list it belongs to. */
export function applyApproval(client: QueryClient, approval: Approval): void {
  for (const [key, data] of client.getQueriesData<ApprovalList>({ queryKey: ['approvals', 'pending'] })) {
    if (!data || !isOf(key, approval)) continue;
    const rest = data.items.filter((a) => a.id !== approval.id);
    const items = approval.status === 'pending' ? [...rest, approval] : rest;
    items.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    client.setQueryData<ApprovalList>(key, { items });
  }
  // A list not cached yet (e.g. the overview not visited) simply loads fresh later.
}

function setRollout(client: QueryClient, rollout: Rollout): void {
  const current = client.getQueryData<Rollout>(queryKeys.rollout(rollout.id));
  if (!current || current.version <= rollout.version)
    client.setQueryData(queryKeys.rollout(rollout.id), rollout);
}

export const useUpdatePolicy = (namespace: string, service: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (policy: TargetPolicy) =>
      apiFetch<TargetPolicyView>(route(policyPaths.targetPolicy, { namespace, service }), {
        method: 'PUT',
        body: policy,
      }),
    onSuccess: (view) => client.setQueryData(queryKeys.policy(namespace, service), view),
  });
};

/** A second operator approves: the waiting action runs, and the API answers with the rollout. */
export const useApprove = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (approval: Approval) =>
      apiFetch<Rollout>(route(policyPaths.approve, { id: approval.id }), { method: 'POST', body: {} }),
    onSuccess: (rollout, approval) => {
      setRollout(client, rollout);
      applyApproval(client, { ...approval, status: 'approved' });
      void client.invalidateQueries({ queryKey: queryKeys.approvals });
    },
  });
};

/** The requester (or an admin) takes the request back; nothing changes. */
export const useWithdraw = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (approval: Approval) =>
      apiFetch<Approval>(route(policyPaths.withdraw, { id: approval.id }), { method: 'POST', body: {} }),
    onSuccess: (approval) => applyApproval(client, approval),
  });
};

export { setRollout };
