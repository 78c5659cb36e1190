import { secureSessionCookie, sessionCookie } from '@aviary/contracts';
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

/**
 * Whether the session cookie is `Secure` (AVIARY_SECURE_COOKIES=1, or the request came over
 * HTTPS), and so its name: a `Secure` cookie is `__Host-aviary_session`, which browsers accept
 * only with Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite it.
 */
export function sessionCookieFor(
  request: FastifyRequest,
  isForwarder: IsTrusted,
  forceSecure: boolean,
): { name: string; secure: boolean } {
  const secure = forceSecure || cameOverHttps(request, isForwarder);
  return { name: secure ? secureSessionCookie : sessionCookie, secure };
}

/** How many times a header occurs in the request as sent (Node joins repeats into one value). */
export function headerCount(request: FastifyRequest, name: string): number {
  const lower = name.toLowerCase();
  const raw = request.raw.rawHeaders;
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === lower) n++;
  return n;
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
