import { type ErrorBody, type ErrorCode, errorStatus } from '@aviary/contracts';
import { isDomainError } from '@aviary/core';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
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

/**
 * A request Node's parser refused before Fastify saw it (headers over the size limit, a request
 * that took too long, bytes that are not HTTP). Fastify's default answer has another body shape
 * and no `Connection: close`, so a keep-alive client would send its next request into a socket
 * that is about to close. Passed to Fastify as `clientErrorHandler`.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          'headers-too-large',
          'the request headers are larger than the API reads; send fewer or shorter headers',
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request-timeout', 'the request took too long to arrive; send it again']
        : ['bad-request', 'the request is not valid HTTP; check the client that sent it'];
  const status = errorStatus[code];
  const json = JSON.stringify(body(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
    );
  }
  socket.destroy();
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
