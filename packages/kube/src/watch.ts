import type { TrafficSplit } from '@aviary/core';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { type VirtualService, readSplit, splitServices } from './traffic-routers/istio-routes.ts';

export type WeightsListener = (target: { namespace: string; service: string }, weights: TrafficSplit) => void;

/**
 * Follow every VirtualService and report each service's split as the cluster has it, so the
 * engine can reconcile and record drift. Reconnects with backoff when the stream ends or fails;
 * every (re)connect starts with the current objects, so nothing is missed in between.
 */
export function watchRouterWeights(
  config: KubeConfig,
  path: string,
  listener: WeightsListener,
  onObject?: (vs: VirtualService) => void,
): { stop(): void } {
  let stopped = false;
  let abort: AbortController | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    if (stopped) return;
    try {
      abort = await new Watch(config).watch(
        path,
        { allowWatchBookmarks: true },
        (type, obj: VirtualService) => {
          failures = 0;
          if (type !== 'ADDED' && type !== 'MODIFIED') return;
          onObject?.(obj);
          for (const service of splitServices(obj)) {
            const weights = readSplit(obj, service);
            if (weights) listener({ namespace: obj.metadata.namespace ?? 'default', service }, weights);
          }
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
