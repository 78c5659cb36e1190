import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody, readBody, sendError, sendJson } from './respond.ts';
import type { ResourceRoute } from './route.ts';
import { StatusError, badRequest, conflict } from './status.ts';

export type FaultStatus = 500 | 409 | 429 | 503;

export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Regular expression tested against the URL path (any when absent). */
  path?: string;
  status?: FaultStatus;
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Answer 200 and then say nothing, ever (no events, no bookmarks): an API server gone quiet. */
  silent?: boolean;
  /** How many requests to fault; unlimited when absent. */
  times?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Requests faulted so far. */
  hits: number;
}

const statuses: readonly number[] = [500, 409, 429, 503];

/**
 * Injected API server failures for tests: slow answers, dropped connections and error codes,
 * matched by method and path. A faulted request never reaches the store, so it changes nothing.
 */
export class FaultInjector {
  private readonly faults: (Fault & { pattern: RegExp | undefined })[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    if (spec.status !== undefined && !statuses.includes(spec.status)) {
      throw badRequest(`fault status must be one of ${statuses.join(', ')}`);
    }
    if (spec.delayMs !== undefined && (typeof spec.delayMs !== 'number' || spec.delayMs < 0)) {
      throw badRequest('fault delayMs must be a non-negative number');
    }
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
      throw badRequest('fault times must be a positive integer');
    }
    if (spec.status === undefined && !spec.drop && !spec.silent && spec.delayMs === undefined) {
      throw badRequest('a fault needs at least one of status, delayMs, drop or silent');
    }
    let pattern: RegExp | undefined;
    try {
      pattern = spec.path === undefined ? undefined : new RegExp(spec.path);
    } catch (err) {
      throw badRequest(`fault path is not a valid regular expression: ${(err as Error).message}`);
    }
    const fault = { ...pick(spec), id: String(this.nextId++), hits: 0 };
    this.faults.push({ ...fault, pattern });
    return fault;
  }

  list(): Fault[] {
    return this.faults.map(({ pattern: _p, ...fault }) => fault);
  }

  clear(): void {
    this.faults.length = 0;
  }

  remove(id: string): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.faults.splice(i, 1);
    return true;
  }

  /** The first fault matching this request, counted as used; exhausted faults are dropped. */
  take(method: string, path: string): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    const i = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.pattern === undefined || f.pattern.test(path)),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.hits++;
    if (fault.times !== undefined && fault.hits >= fault.times) this.faults.splice(i, 1);
    const { pattern: _p, ...out } = fault;
    return out;
  }
}

function pick(spec: FaultSpec): FaultSpec {
  const out: FaultSpec = {};
  if (spec.method !== undefined) out.method = String(spec.method);
  if (spec.path !== undefined) out.path = String(spec.path);
  if (spec.status !== undefined) out.status = spec.status;
  if (spec.delayMs !== undefined) out.delayMs = spec.delayMs;
  if (spec.drop !== undefined) out.drop = Boolean(spec.drop);
  if (spec.silent !== undefined) out.silent = Boolean(spec.silent);
  if (spec.times !== undefined) out.times = spec.times;
  return out;
}

function faultError(status: FaultStatus, route: ResourceRoute | undefined): StatusError {
  switch (status) {
    case 409:
      // Worded as the real conflict on the object the request named, so clients react the same.
      if (route?.name !== undefined) return conflict(route.rt.plural, route.rt.group, route.name);
      return new StatusError(
        409,
        'Conflict',
        'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again (injected fault)',
      );
    case 429:
      return new StatusError(
        429,
        'TooManyRequests',
        'Too many requests, please try again later. (injected fault)',
      );
    case 503:
      return new StatusError(
        503,
        'ServiceUnavailable',
        'The service is temporarily unavailable (injected fault)',
      );
    default:
      return new StatusError(500, 'InternalError', 'Internal error occurred: injected fault');
  }
}

/**
 * Act out a fault. Resolves true when the request was answered (or dropped) here, false when
 * only a delay applied and the request should go on as usual.
 */
export async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute | undefined,
): Promise<boolean> {
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault.silent) {
    // The headers go out and the connection stays open until the client gives up.
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    return true;
  }
  if (fault.status === undefined) return false;
  // Drain the body so keep-alive connections stay usable after the error.
  req.resume();
  sendError(res, faultError(fault.status, route));
  return true;
}

/** `/_sandbox/faults[/:id]`: add, list and clear faults. False when the path is not ours. */
export async function handleFaultControl(
  faults: FaultInjector,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (path !== '/_sandbox/faults' && !path.startsWith('/_sandbox/faults/')) return false;
  try {
    const id = path.startsWith('/_sandbox/faults/')
      ? decodeURIComponent(path.slice('/_sandbox/faults/'.length))
      : undefined;
    if (id === undefined && req.method === 'POST') {
      const spec = parseBody(await readBody(req), 'application/json');
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
        throw badRequest('a fault is a JSON object');
      sendJson(res, 201, { id: faults.add(spec as FaultSpec).id });
    } else if (id === undefined && req.method === 'GET') {
      sendJson(res, 200, { faults: faults.list() });
    } else if (id === undefined && req.method === 'DELETE') {
      faults.clear();
      sendJson(res, 200, { faults: [] });
    } else if (id !== undefined && req.method === 'DELETE') {
      if (!faults.remove(id)) throw new StatusError(404, 'NotFound', `fault "${id}" not found`);
      sendJson(res, 200, { id });
    } else {
      throw new StatusError(405, 'MethodNotAllowed', `${req.method} is not supported on ${path}`);
    }
  } catch (err) {
    sendError(res, err);
  }
  return true;
}
