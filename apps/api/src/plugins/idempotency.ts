import { createHash } from 'node:crypto';
import type { IdempotencyRepo } from '@aviary/db';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

/**
 * `Idempotency-Key` on a POST: the first request acts and its answer is stored; a retry with the
 * same key and body gets that answer again instead of acting twice. A 5xx is not stored, so a
 * retry after a cluster outage acts for real.
 */
export function registerIdempotency(app: FastifyInstance, repo: IdempotencyRepo): void {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
      return reply.status(400).send({
        error: {
          code: 'invalid-request',
          field: 'Idempotency-Key',
          message: 'Idempotency-Key must be 1 to 200 characters',
        },
      });
    }
    const scope = `${request.method} ${request.url} ${request.actor}`;
    const hash = createHash('sha256')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');
    const found = repo.begin(key, scope, hash);
    switch (found.state) {
      case 'new':
        request.idempotencyKey = key;
        return;
      case 'replay':
        return reply.status(found.statusCode).header('idempotent-replayed', 'true').send(found.response);
      case 'in-flight':
        return reply.status(409).send({
          error: {
            code: 'idempotency-in-flight',
            message: 'a request with this Idempotency-Key is still running; retry in a moment',
          },
        });
      case 'mismatch':
        return reply.status(422).send({
          error: {
            code: 'idempotency-key-reused',
            message: 'this Idempotency-Key was used for a different request; use a new key for a new request',
          },
        });
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key) return payload;
    if (reply.statusCode >= 500) repo.abandon(key);
    else repo.finish(key, reply.statusCode, typeof payload === 'string' ? JSON.parse(payload) : null);
    return payload;
  });
}
