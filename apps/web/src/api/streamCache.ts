import type {
  Approval,
  EventList,
  GateResult,
  MetricPoint,
  MetricsResponse,
  Rollout,
  RolloutEvent,
  RolloutList,
  StreamMessage,
} from '@aviary/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { applyApproval } from './policies.ts';
import { queryKeys } from './queryKeys.ts';

/** The stream's messages, with `approval` (issue 6) whether or not the contracts' union has it yet. */
export type LiveMessage = StreamMessage | { type: 'approval'; approval: Approval };

/** Keep the newest copy of a rollout (the stream may deliver an older one late). */
function newer(current: Rollout | undefined, next: Rollout): Rollout {
  return current && current.version > next.version ? current : next;
}

export function appendEvent(list: EventList | undefined, event: RolloutEvent): EventList | undefined {
  if (!list || list.items.some((e) => e.id === event.id)) return list;
  return { items: [...list.items, event] };
}

/** New points go at the end of their arm, once each; the chart's end moves with them. */
export function appendPoints(
  metrics: MetricsResponse | undefined,
  points: readonly MetricPoint[],
): MetricsResponse | undefined {
  if (!metrics || points.length === 0) return metrics;
  const add = (series: MetricPoint[], arm: MetricPoint['arm']) => {
    const last = series.at(-1)?.at ?? '';
    const fresh = points.filter((p) => p.arm === arm && p.at > last);
    return fresh.length ? [...series, ...fresh] : series;
  };
  const latest = [metrics.to, ...points.map((p) => p.at)].sort().at(-1) ?? metrics.to;
  return {
    ...metrics,
    canary: add(metrics.canary, 'canary'),
    stable: add(metrics.stable, 'stable'),
    to: latest,
  };
}

/** An action changes the weight line and adds a marker, as the server would on the next fetch. */
export function appendEventToMetrics(
  metrics: MetricsResponse | undefined,
  event: RolloutEvent,
): MetricsResponse | undefined {
  if (!metrics || event.action === 'canary-ready') return metrics;
  if (metrics.annotations.some((a) => a.at === event.at && a.action === event.action)) return metrics;
  const annotation = {
    at: event.at,
    action: event.action,
    actor: event.actor,
    reason: event.reason,
    toWeight: event.toWeight,
  };
  const lastWeight = metrics.weight.at(-1)?.weight;
  const weight =
    event.toWeight !== null && event.toWeight !== lastWeight
      ? [...metrics.weight, { at: event.at, weight: event.toWeight }]
      : metrics.weight;
  return { ...metrics, annotations: [...metrics.annotations, annotation], weight };
}

function replaceInList(list: RolloutList | undefined, rollout: Rollout): RolloutList | undefined {
  if (!list?.items.some((r) => r.id === rollout.id)) return list;
  // Keep what only the list carries (peak weight, how it ended) over the stream's rollout.
  return {
    ...list,
    items: list.items.map((r) => (r.id === rollout.id ? { ...r, ...newer(r, rollout) } : r)),
  };
}

/**
 * Apply one stream message to the cache: set or append what it carries instead of refetching.
 * Only a rollout no cached list knows yet (or a phase change) makes the lists refetch.
 */
export function applyStreamMessage(client: QueryClient, message: LiveMessage): void {
  switch (message.type) {
    case 'rollout': {
      const { rollout } = message;
      void client.invalidateQueries({ queryKey: queryKeys.allowedActions(rollout.id) });
      const before = client.getQueryData<Rollout>(queryKeys.rollout(rollout.id));
      client.setQueryData<Rollout>(queryKeys.rollout(rollout.id), (current) => newer(current, rollout));
      let known = false;
      for (const [key, data] of client.getQueriesData<RolloutList>({ queryKey: queryKeys.rolloutLists })) {
        if (data?.items.some((r) => r.id === rollout.id)) known = true;
        client.setQueryData(key, replaceInList(data, rollout));
      }
      for (const [key, data] of client.getQueriesData<InfiniteData<RolloutList>>({
        queryKey: ['rollouts', 'pages'],
      })) {
        if (!data) continue;
        client.setQueryData(key, { ...data, pages: data.pages.map((p) => replaceInList(p, rollout) ?? p) });
      }
      if (!known || (before && before.phase !== rollout.phase)) {
        void client.invalidateQueries({ queryKey: queryKeys.rollouts });
        void client.invalidateQueries({ queryKey: queryKeys.targets });
      }
      return;
    }
    case 'event': {
      const { event } = message;
      client.setQueryData<EventList>(queryKeys.events(event.rolloutId), (list) => appendEvent(list, event));
      client.setQueryData<MetricsResponse>(queryKeys.metrics(event.rolloutId), (m) =>
        appendEventToMetrics(m, event),
      );
      return;
    }
    case 'gate': {
      // A new verdict changes which actions need an override; the same verdict changes nothing.
      const before = client.getQueryData<GateResult>(queryKeys.gate(message.rolloutId));
      if (before?.verdict !== message.gate.verdict)
        void client.invalidateQueries({ queryKey: queryKeys.allowedActions(message.rolloutId) });
      client.setQueryData(queryKeys.gate(message.rolloutId), {
        ...message.gate,
        rolloutId: message.rolloutId,
      });
      return;
    }
    case 'metrics':
      client.setQueryData<MetricsResponse>(queryKeys.metrics(message.rolloutId), (m) =>
        appendPoints(m, message.points),
      );
      return;
    case 'approval':
      applyApproval(client, message.approval);
      void client.invalidateQueries({ queryKey: queryKeys.allowedActions(message.approval.rolloutId) });
      return;
  }
}
