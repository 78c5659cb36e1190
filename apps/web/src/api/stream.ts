import { StreamMessage, paths } from '@aviary/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { applyStreamMessage } from './streamCache.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

const messageTypes = ['rollout', 'event', 'gate', 'metrics'] as const;

/** 1 s, 2 s, 4 s … up to 30 s between attempts. */
export const reconnectDelay = (attempt: number) => Math.min(1000 * 2 ** attempt, 30_000);

/**
 * Follow /api/v1/stream and write what arrives into the cache. On any error the connection is
 * closed and reopened with backoff; after a gap the cached queries are refetched once, since
 * messages sent while we were away are gone.
 */
export function connectStream(client: QueryClient, onStatus: (status: StreamStatus) => void): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let hadGap = false;
  let closed = false;

  const onMessage = (e: MessageEvent<string>) => {
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    const parsed = StreamMessage.safeParse(data);
    if (parsed.success) applyStreamMessage(client, parsed.data);
  };

  const open = () => {
    if (closed) return;
    source = new EventSource(paths.stream);
    for (const type of messageTypes) source.addEventListener(type, onMessage);
    source.onopen = () => {
      attempt = 0;
      onStatus('live');
      if (hadGap) void client.invalidateQueries();
      hadGap = false;
    };
    source.onerror = () => {
      source?.close();
      hadGap = true;
      onStatus('reconnecting');
      timer = setTimeout(open, reconnectDelay(attempt++));
    };
  };

  onStatus('connecting');
  open();
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}
