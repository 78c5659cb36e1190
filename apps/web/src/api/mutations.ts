import { type ActionRequest, type Rollout, type StartRolloutRequest, paths } from '@aviary/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch, route } from './fetch.ts';
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

export const useRolloutAction = (id: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: ActionRequest) =>
      apiFetch<Rollout>(route(paths.rolloutActions, { id }), { method: 'POST', body: action }),
    onSuccess: (rollout) => {
      const current = client.getQueryData<Rollout>(queryKeys.rollout(id));
      if (!current || current.version <= rollout.version) client.setQueryData(queryKeys.rollout(id), rollout);
    },
  });
};
