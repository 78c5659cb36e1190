import { type ActionRequest, type Rollout, type StartRolloutRequest, paths } from '@aviary/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch, route } from './fetch.ts';
import { type PendingApproval, applyApproval, isPendingApproval, setRollout } from './policies.ts';
import { queryKeys } from './queryKeys.ts';

export const useStartRollout = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: StartRolloutRequest) =>
      apiFetch<Rollout>(paths.rollouts, { method: 'POST', body: request }),
    onSuccess: (rollout) => {
      client.setQueryData(queryKeys.rollout(rollout.id), rollout);
      void client.invalidateQueries({ queryKey: queryKeys.rollouts });
      void client.invalidateQueries({ queryKey: queryKeys.targets });
    },
  });
};

/** What an action led to: done (the rollout as it is now), or waiting for a second operator (202). */
export type ActionOutcome =
  | { kind: 'done'; rollout: Rollout }
  | { kind: 'pending'; rollout: Rollout; approval: PendingApproval['approval'] };

export const toOutcome = (answer: Rollout | PendingApproval): ActionOutcome =>
  isPendingApproval(answer)
    ? { kind: 'pending', rollout: answer.rollout, approval: answer.approval }
    : { kind: 'done', rollout: answer };

export const useRolloutAction = (id: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (action: ActionRequest) =>
      toOutcome(
        await apiFetch<Rollout | PendingApproval>(route(paths.rolloutActions, { id }), {
          method: 'POST',
          body: action,
        }),
      ),
    onSuccess: (outcome) => {
      setRollout(client, outcome.rollout);
      void client.invalidateQueries({ queryKey: queryKeys.allowedActions(id) });
      if (outcome.kind === 'pending') {
        applyApproval(client, outcome.approval);
        // A list not cached yet learns of it on its first load; make sure this rollout's does.
        if (!client.getQueryData(queryKeys.pendingApprovals(id)))
          client.setQueryData(queryKeys.pendingApprovals(id), { items: [outcome.approval] });
        void client.invalidateQueries({ queryKey: queryKeys.pendingApprovals(null) });
      } else if (outcome.rollout.phase === 'rolled-back') {
        // A rollback withdraws a pending approval.
        void client.invalidateQueries({ queryKey: queryKeys.approvals });
      }
    },
  });
};
