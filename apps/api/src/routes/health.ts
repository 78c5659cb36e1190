import { Readiness, ServerInfo, paths } from '@aviary/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

const timeoutMs = 2_000;

/** `scheme://user:password@host` → `scheme://***@host`, so not even the log holds the password. */
export const withoutCredentials = (text: string): string => text.replace(/(\/\/)[^/@\s]+@/g, '$1***@');

async function run(check: ReadinessCheck): Promise<{ ok: boolean; message?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes =
  (checks: ReadinessCheck[], info: ServerInfo): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      paths.info,
      {
        // The dashboard reads it before anyone signs in; it holds nothing about targets.
        config: { role: 'public' },
        schema: {
          tags: ['health'],
          summary: 'What this server is: version, sandbox or not, gate interval',
          response: { 200: ServerInfo },
        },
      },
      async () => info,
    );
    app.get(
      '/healthz',
      {
        config: { role: 'public' },
        schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
      },
      async () => ({
        status: 'ok' as const,
      }),
    );
    app.get(
      '/readyz',
      {
        config: { role: 'public' },
        schema: {
          tags: ['health'],
          summary: 'Database, cluster and Prometheus reachable, each named',
          description: 'Says only which check failed; why goes to the log, since anyone can call it.',
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (request, reply) => {
        const results = await Promise.all(checks.map(async (c) => [c.name, await run(c)] as const));
        for (const [name, result] of results)
          if (!result.ok)
            request.log.warn(
              { check: name, reason: withoutCredentials(result.message ?? '') },
              'readiness check failed',
            );
        const ready = results.every(([, r]) => r.ok);
        return reply.status(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'not-ready',
          checks: Object.fromEntries(results.map(([name, { ok }]) => [name, { ok }])),
        });
      },
    );
  };
