import { type RequestContext, asServed } from './handlers.ts';
import { groupVersion } from './resources.ts';
import { matchesFilter, parseFilter } from './selectors.ts';
import { StatusError } from './status.ts';
import type { KubeObject, StoreEvent } from './store.ts';
import { toTable, wantsTable } from './table.ts';

export interface WatchOptions {
  /** How often a watch that asked for bookmarks gets one. */
  bookmarkIntervalMs: number;
  /** Every open watch registers how to end it, so the server can close them on shutdown. */
  open: Set<() => void>;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

const truthy = (v: string | null) => v === 'true' || v === '1';

/**
 * A watch stream: newline-delimited `{"type", "object"}` on a chunked response. It resumes
 * from `resourceVersion` out of the store's history, or starts with synthetic ADDED events
 * for what exists now. Objects that stop (or start) matching the selectors arrive as DELETED
 * (or ADDED), as the API server's watch cache reports them.
 */
export function serveWatch(ctx: RequestContext, opts: WatchOptions): void {
  const { store, route, res, query } = ctx;
  const { rt } = route;
  const filter = parseFilter(query);
  const since = query.get('resourceVersion');
  const resume = since !== null && since !== '' && since !== '0';

  let replay: StoreEvent[] = [];
  let expired: StatusError | undefined;
  if (resume) {
    try {
      replay = store.eventsSince(since).filter((e) => e.rt.group === rt.group && e.rt.plural === rt.plural);
    } catch (err) {
      if (!(err instanceof StatusError) || err.code !== 410) throw err;
      expired = err;
    }
  }

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  const table = wantsTable(ctx.req);
  const render = (obj: KubeObject) =>
    table ? toTable(rt, [obj], obj.metadata.resourceVersion ?? '') : asServed(obj, route);
  const send = (type: EventType, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  if (expired) {
    send('ERROR', expired.toStatus());
    res.end();
    return;
  }

  // Keys of objects this watcher currently sees as matching, to report selector transitions.
  const visible = new Set<string>();
  const keyOf = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  let lastRevision = resume ? Number(since) : Number(store.resourceVersion);

  const deliver = (event: StoreEvent) => {
    if (event.revision <= lastRevision) return;
    if (event.rt.group !== rt.group || event.rt.plural !== rt.plural) return;
    lastRevision = event.revision;
    const obj = event.object;
    if (route.namespace !== undefined && obj.metadata.namespace !== route.namespace) return;
    const key = keyOf(obj);
    const matches = matchesFilter(filter, obj);
    const wasVisible = visible.has(key);
    let type: EventType | undefined;
    if (event.type === 'DELETED') type = matches || wasVisible ? 'DELETED' : undefined;
    else if (matches) type = event.type === 'MODIFIED' && !wasVisible && !resume ? 'ADDED' : event.type;
    else if (wasVisible) type = 'DELETED';
    if (type === undefined) return;
    if (type === 'DELETED') visible.delete(key);
    else visible.add(key);
    send(type, render(obj));
  };

  // Subscribing and replaying happen in one synchronous step, and the store notifies on the
  // microtask queue, so no event can fall between the replay and the live stream.
  const unsubscribe = store.subscribe(deliver);
  const bookmark = (annotations?: Record<string, string>) =>
    send('BOOKMARK', {
      kind: rt.kind,
      apiVersion: groupVersion(rt.group, route.version),
      metadata: { resourceVersion: store.resourceVersion, ...(annotations ? { annotations } : {}) },
    });
  if (resume) {
    for (const event of replay) deliver(event);
  } else {
    for (const obj of store.list(rt, route.namespace)) {
      if (!matchesFilter(filter, obj)) continue;
      visible.add(keyOf(obj));
      send('ADDED', render(obj));
    }
  }
  const bookmarks = truthy(query.get('allowWatchBookmarks'));
  if (bookmarks && truthy(query.get('sendInitialEvents'))) bookmark({ 'k8s.io/initial-events-end': 'true' });

  const timers: NodeJS.Timeout[] = [];
  if (bookmarks) timers.push(setInterval(bookmark, opts.bookmarkIntervalMs));
  const timeout = Number(query.get('timeoutSeconds'));
  if (Number.isFinite(timeout) && timeout > 0) timers.push(setTimeout(() => end(), timeout * 1000));

  const end = () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    opts.open.delete(end);
    if (!res.writableEnded) res.end();
  };
  opts.open.add(end);
  res.on('close', end);
}
