import { paths } from '@aviary/contracts';
import { DomainError } from '@aviary/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import type { EventBus } from '../events-bus.ts';

export interface StreamOptions {
  /** Streams one principal (user, token, proxy user, or all anonymous readers together) may hold. */
  perPrincipal: number;
  /** Streams in all. */
  total: number;
  /** A client whose unsent data grows past this is too slow: its stream is dropped. */
  maxBufferBytes?: number;
  /** How often an open stream sends a keep-alive and checks that its credential still holds. */
  checkEveryMs?: number;
  /** The credential check: throws when the session expired or the token was revoked. */
  recheck?: (request: FastifyRequest) => void;
}

const principalKey = (p: Principal | null): string =>
  p?.tokenId ? `token:${p.tokenId}` : p?.userId ? `user:${p.userId}` : `actor:${p?.via}:${p?.actor}`;

/**
 * Server-Sent Events: every stored rollout change (`rollout`) and history event (`event`), as
 * they are written. A comment line every 15 s keeps proxies from closing an idle stream; with it
 * the stream re-checks its credential and ends once the session expired or the token was revoked.
 * Streams are capped per principal and in total (429 beyond), and a client that does not read
 * is dropped rather than buffered without bound.
 */
export function streamRoutes(bus: EventBus, opts: StreamOptions) {
  const maxBuffer = opts.maxBufferBytes ?? 1024 * 1024;
  const checkEveryMs = opts.checkEveryMs ?? 15_000;
  return async (app: FastifyInstance) => {
    const open = new Set<() => void>();
    const perPrincipal = new Map<string, number>();
    // Streams never end by themselves: end them before the server waits for its connections.
    app.addHook('preClose', async () => {
      for (const end of open) end();
    });

    app.get(
      paths.stream,
      {
        config: { role: 'viewer' },
        schema: { tags: ['stream'], summary: 'Live rollout changes and history events (text/event-stream)' },
      },
      (request, reply) => {
        const key = principalKey(request.principal);
        const mine = perPrincipal.get(key) ?? 0;
        if (mine >= opts.perPrincipal || open.size >= opts.total)
          throw new DomainError(
            'too-many-streams',
            mine >= opts.perPrincipal
              ? `you have ${mine} event streams open, the most allowed (AVIARY_STREAMS_PER_PRINCIPAL); close one (another tab?) first`
              : 'the server has as many event streams open as it allows; try again in a minute',
            { retryAfterSeconds: 30 },
          );
        perPrincipal.set(key, mine + 1);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        // A HEAD has no body, so Node would hold its headers until an end that never comes.
        if (request.method === 'HEAD') {
          if (mine > 0) perPrincipal.set(key, mine);
          else perPrincipal.delete(key);
          return void res.end();
        }
        let ended = false;
        const send = (chunk: string) => {
          if (ended) return;
          res.write(chunk);
          // Respect backpressure: what the client has not read stays in memory, so past the
          // limit the client is too slow to follow and loses its stream (it reconnects).
          if (res.writableLength > maxBuffer) end(true);
        };
        let seq = 0;
        const unsubscribe = bus.subscribe((message) => {
          send(`id: ${++seq}\nevent: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
        });
        const heartbeat = setInterval(() => {
          try {
            opts.recheck?.(request);
          } catch (err) {
            send(`event: end\ndata: ${JSON.stringify({ reason: (err as Error).message })}\n\n`);
            end(false);
            return;
          }
          send(': keep-alive\n\n');
        }, checkEveryMs);
        const end = (drop: boolean) => {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(close);
          const left = (perPrincipal.get(key) ?? 1) - 1;
          if (left > 0) perPrincipal.set(key, left);
          else perPrincipal.delete(key);
          if (drop) res.destroy();
          else res.end();
        };
        const close = () => end(false);
        open.add(close);
        request.raw.on('close', close);
        send('retry: 2000\n\n');
      },
    );
  };
}
