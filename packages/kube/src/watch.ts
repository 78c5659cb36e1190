import type { TrafficSplit } from '@aviary/core';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { RouterAdapter } from './traffic-routers/provider.ts';

export type WeightsListener = (target: { namespace: string; service: string }, weights: TrafficSplit) => void;

export interface WatchOptions {
  /**
   * A watch that receives nothing at all (no event, no bookmark) for this long is aborted and
   * started again from the current objects. The API server sends bookmarks from time to time to a
   * watch that asks for them; a silence longer than this is taken for a stalled stream (on a truly
   * quiet cluster a restart costs one list).
   */
  idleTimeoutMs?: number;
}

export const defaultWatchIdleTimeoutMs = 180_000;

/**
 * Follow every router's objects and report each service's split as the cluster has it, so the
 * engine can reconcile and record drift. One watch per router; each reconnects with backoff when
 * its stream ends, fails or goes silent, and every (re)connect starts with the current objects.
 */
export function watchRouterWeights(
  config: KubeConfig,
  adapters: readonly RouterAdapter[],
  listener: WeightsListener,
  options: WatchOptions = {},
): { stop(): void } {
  const idleMs = options.idleTimeoutMs ?? defaultWatchIdleTimeoutMs;
  const watches = adapters.map((adapter) => watchOne(config, adapter, listener, idleMs));
  return {
    stop() {
      for (const w of watches) w.stop();
    },
  };
}

function watchOne(
  config: KubeConfig,
  adapter: RouterAdapter,
  listener: WeightsListener,
  idleMs: number,
): { stop(): void } {
  let stopped = false;
  let abort: AbortController | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  /** Each connection's number: a late callback of an abandoned one must not act. */
  let generation = 0;

  // client-node's Watch has no idle timeout of its own (its request timeout ends with the
  // headers), so a stream that stays open but silent would never end without this.
  const armIdle = (gen: number) => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      if (gen !== generation || stopped) return;
      abort?.abort();
      reconnect(gen);
    }, idleMs);
  };

  const connect = async () => {
    if (stopped) return;
    const gen = ++generation;
    armIdle(gen);
    try {
      const controller = await new Watch(config).watch(
        adapter.watchPath(),
        { allowWatchBookmarks: true },
        (type, obj: unknown) => {
          if (gen !== generation) return;
          failures = 0;
          armIdle(gen);
          if (type !== 'ADDED' && type !== 'MODIFIED') return;
          for (const split of adapter.observe(obj))
            listener({ namespace: split.namespace, service: split.service }, split.weights);
        },
        () => reconnect(gen),
      );
      if (gen === generation && !stopped) abort = controller;
      else controller.abort();
    } catch {
      reconnect(gen);
    }
  };
  const reconnect = (gen: number) => {
    if (stopped || gen !== generation) return;
    // Anything this connection reports from now on is ignored.
    generation++;
    clearTimeout(idle);
    failures++;
    timer = setTimeout(connect, Math.min(10_000, 200 * 2 ** Math.min(failures, 6)));
  };
  void connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(idle);
      abort?.abort();
    },
  };
}
