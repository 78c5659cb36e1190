import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest } from './status.ts';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Every failure leaves as a Kubernetes `Status`; anything unexpected is a 500 InternalError. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status =
    err instanceof StatusError
      ? err
      : new StatusError(
          500,
          'InternalError',
          `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
        );
  const headers: Record<string, string> = status.code === 429 ? { 'retry-after': '1' } : {};
  sendJson(res, status.code, status.toStatus(), headers);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES)
      throw badRequest(`the request body is larger than the ${MAX_BODY_BYTES} bytes this server accepts`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The media type of a request without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parse a create/update body: JSON as kubectl and client-node send it, or YAML for hand-made requests. */
export function parseBody(text: string, type: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty: send the object as JSON');
  if (type === 'application/yaml' || type === 'application/x-yaml') {
    try {
      return parseYaml(text);
    } catch (err) {
      throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

export function unsupportedMediaType(type: string, accepted: readonly string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format ("${type || 'none'}") - accepted media types include: ${accepted.join(', ')}`,
  );
}
