import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector } from './faults.ts';
import { createKubeApiServer } from './server.ts';
import { ObjectStore } from './store.ts';
import { createAdmit } from './validate.ts';

/** An API server listening on a free loopback port, for tests that speak HTTP to it. */
export async function startTestServer(
  opts: {
    store?: ObjectStore;
    bookmarkIntervalMs?: number;
    control?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  } = {},
) {
  const store = opts.store ?? new ObjectStore(createAdmit());
  const faults = new FaultInjector();
  const server = createKubeApiServer({
    store,
    faults,
    ...(opts.control ? { control: opts.control } : {}),
    ...(opts.bookmarkIntervalMs ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** One request; the body is sent as JSON unless a string is given with its own content type. */
  const api = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const init: RequestInit = {
      method,
      headers: { 'content-type': contentType, accept: 'application/json' },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(url + path, init);
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes.
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, body: json, text };
  };

  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, store, faults, server, api, close };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export interface WatchEvent {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: the object differs per kind.
  object: any;
}

/** Open a watch and read its events one by one. */
export async function openWatch(url: string) {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const queue: WatchEvent[] = [];
  let ended = false;

  const fill = async (): Promise<void> => {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffered += decoder.decode(value, { stream: true });
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      queue.push(JSON.parse(buffered.slice(0, nl)) as WatchEvent);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
  };

  // One read at a time, even when a wait for an event times out while a read is pending.
  let pending: Promise<void> | undefined;
  const fillOnce = () => {
    pending ??= fill().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  /** The next event, or undefined when the server ended the stream. */
  const next = async (timeoutMs = 3000): Promise<WatchEvent | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0 && !ended) {
      if (Date.now() > deadline) throw new Error('no watch event in time');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        fillOnce(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
    }
    return queue.shift();
  };

  const close = () => abort.abort();
  return { status: res.status, headers: res.headers, next, close, ended: () => ended };
}

export const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const deployment = (
  name: string,
  extra: { labels?: Record<string, string>; replicas?: number } = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name, ...extra.labels } },
  spec: {
    ...(extra.replicas === undefined ? {} : { replicas: extra.replicas }),
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `${name}:1`, env: [{ name: 'A', value: '1' }] }] },
    },
  },
});

export const virtualService = (name: string, weights: [number, number] = [100, 0]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: {
    hosts: [name],
    http: [
      {
        route: [
          { destination: { host: name, subset: 'stable' }, weight: weights[0] },
          { destination: { host: name, subset: 'canary' }, weight: weights[1] },
        ],
      },
    ],
  },
});
