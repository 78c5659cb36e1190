import { ErrorBody, type Role, atLeast, csrfHeader, paths } from '@aviary/contracts';
import { DomainError, isDomainError } from '@aviary/core';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { type Access, anonymousReadEnabled } from '../auth/access.ts';
import { type Principal, anonymous } from '../auth/principal.ts';
import { clientAddress, headerValue } from '../auth/request-info.ts';
import { safeEqual } from '../auth/secrets.ts';

/** Who may call a route: anyone (`public`), or a principal with at least this role. */
export type RouteAccess = 'public' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: RouteAccess;
    /** With anonymous read-only access on, GETs of viewer routes need no credentials unless this is false. */
    anonymous?: boolean;
  }
  interface FastifyRequest {
    /** Who is acting, for history and audit. */
    actor: string;
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route with the access it declared: the authorization matrix test iterates it. */
    routeAccess: { method: string; url: string; access: RouteAccess }[];
  }
}

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Routes that plugins register without a way to pass config: the API reference (Swagger UI)
 * and the dashboard's built files (@fastify/static marks them with `rootPath`). Nothing else
 * may omit its role.
 */
const isPluginAsset = (route: RouteOptions): boolean =>
  route.url.startsWith(paths.docs) ||
  (!route.url.startsWith('/api/') && typeof (route.config as { rootPath?: unknown })?.rootPath === 'string');

/**
 * One table, one check: each route declares `config: { role }`; an /api route without one
 * fails at startup. One onRequest hook authenticates (bearer token, trusted proxy headers,
 * session cookie), enforces CSRF on cookie and proxy sessions, and compares roles.
 */
/**
 * identify(), with refused bearer tokens counted per client address by the login limiter (the
 * same growing delay, its own key): past the free failures an address must wait before it may
 * present any token again, so tokens cannot be guessed at line rate.
 */
function identifyLimited(request: FastifyRequest, access: Access): Principal | null {
  if (!request.headers.authorization) return access.authenticator.identify(request);
  const key = `token-address:${clientAddress(request, access.isTrusted)}`;
  const wait = access.limiter.retryAfter(key, access.tokenFailuresPerAddress);
  if (wait > 0)
    throw new DomainError(
      'too-many-attempts',
      `too many refused bearer tokens from your address; try again in ${wait} s with a valid API token`,
      { retryAfterSeconds: wait },
    );
  try {
    return access.authenticator.identify(request);
  } catch (err) {
    if (isDomainError(err) && err.code === 'unauthorized') access.limiter.fail(key);
    throw err;
  }
}

export function registerAuth(app: FastifyInstance, access: Access): void {
  const table: FastifyInstance['routeAccess'] = [];
  app.decorate('routeAccess', table);
  app.decorateRequest('actor', 'anonymous');
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const role = route.config?.role ?? (isPluginAsset(route) ? 'public' : undefined);
    if (!role)
      throw new Error(
        `${String(route.method)} ${route.url} declares no role: add config: { role } to the route`,
      );
    route.config = { ...route.config, role };
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access: role });
    const response = route.schema?.response as Record<number, unknown> | undefined;
    if (role !== 'public' && response) {
      response[401] ??= ErrorBody;
      response[403] ??= ErrorBody;
      response[429] ??= ErrorBody;
    }
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const needed = config?.role;
    if (needed === undefined || needed === 'public') return;
    const isRead = reads.has(request.method);
    let principal = identifyLimited(request, access);
    if (!principal) {
      const allowAnonymous =
        isRead && needed === 'viewer' && config.anonymous !== false && anonymousReadEnabled(access.settings);
      if (!allowAnonymous)
        throw new DomainError(
          'unauthorized',
          'sign in (POST /api/v1/auth/login) or send Authorization: Bearer <API token>',
        );
      principal = anonymous;
    }
    if (!isRead && principal.csrfToken) {
      const sent = headerValue(request, csrfHeader);
      if (!sent || !safeEqual(sent, principal.csrfToken))
        throw new DomainError(
          'csrf-token-invalid',
          `send the ${csrfHeader} header with the csrfToken from GET /api/v1/auth/me on every change`,
        );
    }
    if (!atLeast(principal.role, needed))
      throw new DomainError(
        'forbidden',
        principal.via === 'anonymous'
          ? `this needs the ${needed} role; sign in first`
          : `this needs the ${needed} role and ${principal.actor} has ${principal.role}; ask an admin for ${needed} access`,
      );
    request.principal = principal;
    request.actor = principal.actor;
  });
}
