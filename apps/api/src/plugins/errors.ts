import { type ErrorBody, type ErrorCode, errorStatus } from '@aviary/contracts';
import { isDomainError } from '@aviary/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

const body = (code: ErrorCode, message: string, field?: string, details?: Record<string, unknown>) =>
  ({
    error: {
      code,
      message,
      ...(field ? { field } : {}),
      ...(details && Object.keys(details).length ? { details } : {}),
    },
  }) satisfies ErrorBody;

/** Fastify's own client errors, by its code: what went wrong in our words and what to do. */
const fastifyErrors: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'payload-too-large',
    message: 'the request body is larger than the API accepts; send a smaller body',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported-media-type',
    message: 'the API reads request bodies as JSON; send Content-Type: application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'malformed-body',
    message: 'the body is not valid JSON; check its syntax',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed-body',
    message: 'the body is empty but Content-Type says JSON; send a JSON body or no Content-Type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad-request',
    message: 'the body does not match its Content-Length header; send the header the body has',
  },
  FST_ERR_BAD_URL: { code: 'bad-request', message: 'the URL is not valid; percent-encode it' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'uri-too-long', message: 'a path segment is too long; shorten it' },
};

/** Any other client error, by status (a plugin's 429, a 405, …). */
const byStatus: Partial<Record<number, ErrorCode>> = {
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

function clientError(err: FastifyError, reply: FastifyReply) {
  const known = fastifyErrors[err.code];
  if (known) return reply.status(errorStatus[known.code]).send(body(known.code, known.message));
  const status = err.statusCode ?? 400;
  return reply.status(status).send(body(byStatus[status] ?? 'bad-request', err.message));
}

function internal(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  request.log.error({ err }, 'unhandled error');
  return reply
    .status(500)
    .send(
      body('internal', `Aviary hit an unexpected error; it is logged with this request id: ${request.id}`),
    );
}

/**
 * Errors the router meets before any route runs (a URL that does not decode, a path segment
 * over the length limit). Passed to Fastify as `frameworkErrors` so they get the same body.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void clientError(err, reply);
}

/** The one place an error becomes an HTTP answer: a status from the code, and the ErrorBody. */
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
      return reply.status(errorStatus[err.code]).send(body(err.code, err.message, field, err.details));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return clientError(err, reply);
    return internal(err, request, reply);
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body('not-found', `no route ${request.method} ${request.url.split('?')[0]}; see /api/docs`)),
  );
}
