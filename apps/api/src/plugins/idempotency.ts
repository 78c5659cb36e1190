import { createHmac } from 'node:crypto';
import { paths, policyPaths } from '@aviary/contracts';
import type { IdempotencyRepo, SettingsRepo, UsersRepo } from '@aviary/db';
import type { FastifyInstance } from 'fastify';
import { newSecret } from '../auth/secrets.ts';
import { operatorOf } from '../identity.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { owner: string; key: string };
  }
}

/**
 * The routes a retry could repeat harm on: starting a rollout, acting on one, approving or
 * withdrawing. Elsewhere the header is ignored, so no other answer (a new API token's secret, say)
 * is ever stored.
 */
export const idempotentRoutes: ReadonlySet<string> = new Set([
  paths.rollouts,
  paths.rolloutActions,
  policyPaths.approve,
  policyPaths.withdraw,
]);

/** How long a key is remembered; the maintenance sweep purges older ones. */
export const idempotencyKeyTtlMs = 24 * 60 * 60 * 1000;

interface Deps {
  repo: IdempotencyRepo;
  settings: SettingsRepo;
  users: Pick<UsersRepo, 'byId' | 'byName'>;
}

/**
 * `Idempotency-Key` on a POST to one of `idempotentRoutes`: the first request acts and its answer
 * is stored; a retry by the same principal (by stable id, not display name) with the same key and
 * body gets that answer again instead of acting twice. A 5xx is not stored, so a retry after a
 * cluster outage acts for real. Bodies are stored only as an HMAC under a server secret.
 */
export function registerIdempotency(app: FastifyInstance, { repo, settings, users }: Deps): void {
  const hmacKey = settings.getOrCreate('idempotency-hmac-key', () => newSecret(''), new Date().toISOString());

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return;
    if (!idempotentRoutes.has(request.routeOptions.url ?? '')) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
      return reply.status(400).send({
        error: {
          code: 'invalid-request',
          field: 'Idempotency-Key',
          message: 'Idempotency-Key must be 1 to 200 characters',
        },
      });
    }
    const owner = operatorOf(request.principal, users).id;
    const scope = `${request.method} ${request.routeOptions.url} ${JSON.stringify(request.params ?? {})}`;
    const hash = createHmac('sha256', hmacKey)
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');
    const found = repo.begin(owner, key, scope, hash);
    switch (found.state) {
      case 'new':
        request.idempotency = { owner, key };
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
    const claimed = request.idempotency;
    if (!claimed) return payload;
    if (reply.statusCode >= 500) repo.abandon(claimed.owner, claimed.key);
    else
      repo.finish(
        claimed.owner,
        claimed.key,
        reply.statusCode,
        typeof payload === 'string' ? JSON.parse(payload) : null,
      );
    return payload;
  });
}
