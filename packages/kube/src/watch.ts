import type { TrafficSplit } from '@aviary/core';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { RouterAdapter } from './traffic-routers/provider.ts';

export type WeightsListener = (target: { namespace: string; service: string }, weights: TrafficSplit) => void;

/**
 * Follow every router's objects and report each service's split as the cluster has it, so the
 * engine can reconcile and record drift. One watch per router; each reconnects with backoff when
 * its stream ends or fails, and every (re)connect starts with the current objects.
 */
export function watchRouterWeights(
  config: KubeConfig,
  adapters: readonly RouterAdapter[],
  listener: WeightsListener,
): { stop(): void } {
  const watches = adapters.map((adapter) => watchOne(config, adapter, listener));
  return {
    stop() {
      for (const w of watches) w.stop();
    },
  };
}

function watchOne(config: KubeConfig, adapter: RouterAdapter, listener: WeightsListener): { stop(): void } {
  let stopped = false;
  let abort: AbortController | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    if (stopped) return;
    try {
      abort = await new Watch(config).watch(
        adapter.watchPath(),
        { allowWatchBookmarks: true },
        (type, obj: unknown) => {
          failures = 0;
          if (type !== 'ADDED' && type !== 'MODIFIED') return;
          for (const split of adapter.observe(obj))
            listener({ namespace: split.namespace, service: split.service }, split.weights);
        },
        () => reconnect(),
      );
    } catch {
      reconnect();
    }
  };
  const reconnect = () => {
    if (stopped) return;
    failures++;
    timer = setTimeout(connect, Math.min(10_000, 200 * 2 ** Math.min(failures, 6)));
  };
  void connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
    },
  };
}
