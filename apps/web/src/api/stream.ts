import { Approval, StreamMessage, paths } from '@aviary/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { type LiveMessage, applyStreamMessage } from './streamCache.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

const messageTypes = ['rollout', 'event', 'gate', 'metrics', 'approval'] as const;

/** Parse one stream message; `approval` is checked on its own until the contracts' union lists it. */
export function parseStreamMessage(data: unknown): LiveMessage | null {
  const d = data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
  if (d?.type === 'approval') {
    const approval = Approval.safeParse(d.approval);
    return approval.success ? { type: 'approval', approval: approval.data } : null;
  }
  const parsed = StreamMessage.safeParse(data);
  return parsed.success ? (parsed.data as LiveMessage) : null;
}

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
    const message = parseStreamMessage(data);
    if (message) applyStreamMessage(client, message);
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
