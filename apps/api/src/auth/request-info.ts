import type { FastifyRequest } from 'fastify';
import { normalizeAddress } from './trusted-proxy.ts';

export type IsTrusted = (address: string | undefined) => boolean;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The client's address: the socket's, or behind a trusted proxy the nearest address in
 * X-Forwarded-For that is not itself a trusted proxy (the earlier entries are client-supplied).
 */
export function clientAddress(request: FastifyRequest, isTrusted: IsTrusted): string {
  const peer = normalizeAddress(request.socket.remoteAddress);
  const forwarded = first(request.headers['x-forwarded-for']);
  if (!isTrusted(peer) || !forwarded) return peer;
  const hops = forwarded
    .split(',')
    .map((s) => normalizeAddress(s.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(hops[i])) return hops[i] ?? peer;
  return hops[0] ?? peer;
}

/** HTTPS end to end, or HTTPS up to a trusted proxy that says so. */
export function cameOverHttps(request: FastifyRequest, isTrusted: IsTrusted): boolean {
  if ((request.socket as { encrypted?: boolean }).encrypted) return true;
  const proto = first(request.headers['x-forwarded-proto'])?.split(',')[0]?.trim();
  return proto === 'https' && isTrusted(request.socket.remoteAddress);
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  return first(request.headers[name.toLowerCase()]);
}
