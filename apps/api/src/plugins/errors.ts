import type { ErrorBody } from '@aviary/contracts';
import { type DomainErrorCode, isDomainError } from '@aviary/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** The one place a domain error code becomes an HTTP status. */
export const statusOfCode: Record<DomainErrorCode, number> = {
  'target-not-found': 404,
  'target-not-canaryable': 422,
  'rollout-not-found': 404,
  'active-rollout-exists': 409,
  'rollout-finished': 409,
  'rollout-paused': 409,
  'rollout-not-paused': 409,
  'rollout-busy': 409,
  'version-conflict': 409,
  'no-next-step': 409,
  'invalid-action': 409,
  'idempotency-key-reused': 422,
  'cluster-unavailable': 503,
  'cluster-conflict': 503,
  'canary-not-ready': 504,
  'gate-not-passed': 409,
  'invalid-profile': 422,
  'metrics-unavailable': 503,
  unauthorized: 401,
  forbidden: 403,
  'csrf-token-invalid': 403,
  'invalid-credentials': 401,
  'too-many-attempts': 429,
  'too-many-streams': 429,
  'token-not-found': 404,
  'user-not-found': 404,
  'user-exists': 409,
  'role-above-owner': 403,
  'invalid-request': 400,
  'change-frozen': 409,
  'approval-pending': 409,
  'approval-self': 403,
  'approval-not-pending': 409,
  'approval-not-found': 404,
};

const body = (code: string, message: string, field?: string, details?: Record<string, unknown>) =>
  ({
    error: {
      code,
      message,
      ...(field ? { field } : {}),
      ...(details && Object.keys(details).length ? { details } : {}),
    },
  }) as ErrorBody;

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || undefined;
      const where = err.validationContext ?? 'request';
      const message = err.validation
        .map((v) => `${where}${v.instancePath.replaceAll('/', '.') || ''}: ${v.message}`)
        .join('; ');
      return reply.status(400).send(body('invalid-request', message, field));
    }
    if (isDomainError(err)) {
      const retryAfter = err.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      const field = typeof err.details.field === 'string' ? err.details.field : undefined;
      return reply.status(statusOfCode[err.code]).send(body(err.code, err.message, field, err.details));
    }
    // Fastify's own client errors: bad JSON, unsupported media type, body too large, …
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(body(err.code?.toLowerCase() ?? 'bad-request', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send(
        body('internal', 'Aviary hit an unexpected error; it is logged with this request id: ' + request.id),
      );
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body('not-found', `no route ${request.method} ${request.url.split('?')[0]}; see /api/docs`)),
  );
}
