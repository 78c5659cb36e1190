import { paths } from '@aviary/contracts';
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../events-bus.ts';

/**
 * Server-Sent Events: every stored rollout change (`rollout`) and history event (`event`), as
 * they are written. A comment line every 15 s keeps proxies from closing an idle stream.
 */
export function streamRoutes(bus: EventBus, heartbeatMs = 15_000) {
  return async (app: FastifyInstance) => {
    const open = new Set<() => void>();
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
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        // A HEAD has no body, so Node would hold its headers until an end that never comes.
        if (request.method === 'HEAD') return void res.end();
        res.write('retry: 2000\n\n');
        let seq = 0;
        const unsubscribe = bus.subscribe((message) => {
          res.write(`id: ${++seq}\nevent: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
        });
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
        const end = () => {
          clearInterval(heartbeat);
          unsubscribe();
          open.delete(end);
          res.end();
        };
        open.add(end);
        request.raw.on('close', end);
      },
    );
  };
}
