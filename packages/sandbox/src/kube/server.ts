import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { apiVersions, discoveryDocuments } from './discovery.ts';
import { type FaultInjector, applyFault, handleFaultControl } from './faults.ts';
import { type RequestContext, create, get, list, patch, remove, replace } from './handlers.ts';
import { openApiDocuments } from './openapi.ts';
import { sendError, sendJson } from './respond.ts';
import { type ResourceRoute, parseResourcePath, pathNotFound } from './route.ts';
import { StatusError } from './status.ts';
import type { ObjectStore } from './store.ts';
import { serveWatch } from './watch.ts';

export interface KubeApiServerOptions {
  store: ObjectStore;
  faults?: FaultInjector;
  /** Extra `/_sandbox/*` routes; resolves true when it answered the request. */
  control?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** How often watches that allow bookmarks get one (default 10 s; tests shorten it). */
  bookmarkIntervalMs?: number;
}

const healthPaths = new Set(['/healthz', '/livez', '/readyz']);

/**
 * The sandbox's Kubernetes API server: discovery, OpenAPI v3, REST for the kinds in
 * resources.ts, watches, and injected faults, on plain node:http. kubectl and client-node
 * talk to it as to a real cluster.
 */
export function createKubeApiServer(opts: KubeApiServerOptions): Server {
  const { store, faults, control } = opts;
  const documents = new Map([...discoveryDocuments(), ...openApiDocuments()]);
  const openWatches = new Set<() => void>();
  const watchOptions = { bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 10_000, open: openWatches };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';

    if (path.startsWith('/_sandbox/')) {
      if (faults && (await handleFaultControl(faults, path, req, res))) return;
      if (control && (await control(req, res))) return;
      throw pathNotFound();
    }

    let route: ResourceRoute | undefined;
    const fault = faults?.take(method, path);
    if (fault) {
      route = safeRoute(path);
      if (await applyFault(fault, req, res, route)) return;
    }

    if (method === 'GET') {
      const doc = documents.get(path);
      if (doc !== undefined) return sendJson(res, 200, doc);
      if (path === '/api' || path === '/api/') {
        return sendJson(res, 200, apiVersions(`${req.socket.localAddress}:${req.socket.localPort}`));
      }
      if (healthPaths.has(path)) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
    }

    route ??= parseResourcePath(path);
    if (!route) throw pathNotFound();
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const ctx: RequestContext = { store, req, res, route, query };
    switch (method) {
      case 'GET':
        if (route.name !== undefined) return get(ctx);
        if (query.get('watch') === 'true' || query.get('watch') === '1') return serveWatch(ctx, watchOptions);
        return list(ctx);
      case 'POST':
        return create(ctx);
      case 'PUT':
        return replace(ctx);
      case 'PATCH':
        return patch(ctx);
      case 'DELETE':
        return remove(ctx);
      default:
        throw new StatusError(405, 'MethodNotAllowed', `method ${method} is not supported`);
    }
  };

  // Sockets with a request in flight; on close the others are destroyed at once, including
  // connections a client opened but never used (closeIdleConnections leaves those to time out).
  const busy = new Set<Socket>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    busy.add(req.socket);
    res.on('close', () => busy.delete(req.socket));
    handle(req, res).catch((err: unknown) => {
      // Drain what is left of the body so the connection can be reused after an error.
      req.resume();
      sendError(res, err);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // Watches are responses that never finish by themselves: end them first, or close() waits forever.
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    for (const end of [...openWatches]) end();
    close(callback);
    for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
    return server;
  };
  return server;
}

/** The resource a faulted request named, if its path is one; used only to word a fault's message. */
function safeRoute(path: string): ResourceRoute | undefined {
  try {
    return parseResourcePath(path);
  } catch {
    return undefined;
  }
}
