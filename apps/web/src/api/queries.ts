import {
  type AllowedActions,
  type EventList,
  type MetricsResponse,
  type Rollout,
  type RolloutList,
  type ServerInfo,
  type Target,
  type TargetProfile,
  type GateResult,
  type Verdict,
  paths,
} from '@aviary/contracts';
import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { apiFetch, route } from './fetch.ts';
import { type RolloutListFilter, queryKeys } from './queryKeys.ts';

export type GateResponse = GateResult & { rolloutId: string };

export const useInfo = () =>
  useQuery({
    queryKey: queryKeys.info,
    queryFn: ({ signal }) => apiFetch<ServerInfo>(paths.info, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const useTargets = () =>
  useQuery({
    queryKey: queryKeys.targets,
    queryFn: ({ signal }) => apiFetch<{ items: Target[] }>(paths.targets, { signal }),
    select: (data) => data.items,
  });

export const useProfile = (namespace: string, service: string) =>
  useQuery({
    queryKey: queryKeys.profile(namespace, service),
    queryFn: ({ signal }) =>
      apiFetch<TargetProfile>(route(paths.targetProfile, { namespace, service }), { signal }),
  });

const listQuery = (filter: RolloutListFilter, cursor?: string) => ({
  namespace: filter.namespace,
  service: filter.service,
  phase: filter.phase,
  active: filter.active,
  limit: filter.limit ?? 50,
  cursor,
});

export const useRolloutList = (filter: RolloutListFilter) =>
  useQuery({
    queryKey: queryKeys.rolloutList(filter),
    queryFn: ({ signal }) => apiFetch<RolloutList>(paths.rollouts, { query: listQuery(filter), signal }),
    select: (data) => data.items,
  });

/** Every rollout, page by page (History). */
export const useRolloutPages = (filter: RolloutListFilter) =>
  useInfiniteQuery({
    queryKey: queryKeys.rolloutPages(filter),
    queryFn: ({ pageParam, signal }) =>
      apiFetch<RolloutList>(paths.rollouts, { query: listQuery(filter, pageParam), signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

const rolloutQuery = (id: string) => ({
  queryKey: queryKeys.rollout(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<Rollout>(route(paths.rollout, { id }), { signal }),
});

export const useRollout = (id: string) => useQuery(rolloutQuery(id));

/** Each rollout's target ("shop/checkout") by rollout id, for pages that only hold ids. */
export const useRolloutTargets = (ids: readonly string[]) =>
  useQueries({
    queries: ids.map((id) => ({ ...rolloutQuery(id), staleTime: Number.POSITIVE_INFINITY })),
    combine: (results) => {
      const targets = new Map<string, string>();
      results.forEach((r, i) => {
        const id = ids[i];
        if (id && r.data) targets.set(id, `${r.data.target.namespace}/${r.data.target.service}`);
      });
      return targets;
    },
  });

export const useEvents = (id: string) =>
  useQuery({
    queryKey: queryKeys.events(id),
    queryFn: ({ signal }) => apiFetch<EventList>(route(paths.rolloutEvents, { id }), { signal }),
    select: (data) => data.items,
  });

const gateQuery = (id: string) => ({
  queryKey: queryKeys.gate(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    apiFetch<GateResponse>(route(paths.rolloutGate, { id }), { signal }),
});

export const useGate = (id: string, enabled = true) => useQuery({ ...gateQuery(id), enabled });

/** The verdict of each rollout's gate, by rollout id (those not loaded yet are missing). */
export const useGateVerdicts = (ids: readonly string[]) =>
  useQueries({
    queries: ids.map(gateQuery),
    combine: (results) => {
      const verdicts = new Map<string, Verdict>();
      results.forEach((r, i) => {
        const id = ids[i];
        if (id && r.data) verdicts.set(id, r.data.verdict);
      });
      return verdicts;
    },
  });

export const useMetrics = (id: string) =>
  useQuery({
    queryKey: queryKeys.metrics(id),
    queryFn: ({ signal }) => apiFetch<MetricsResponse>(route(paths.rolloutMetrics, { id }), { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

/**
 * The actions the API would accept from this person now, each with the reason it would refuse.
 * The stream's rollout, gate and approval messages refresh it; so does a freeze window's edge.
 */
export const useAllowedActions = (id: string, enabled = true) =>
  useQuery({
    queryKey: queryKeys.allowedActions(id),
    queryFn: ({ signal }) => apiFetch<AllowedActions>(route(paths.rolloutActions, { id }), { signal }),
    enabled,
    refetchInterval: 30_000,
  });
