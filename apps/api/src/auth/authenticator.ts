import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Role, roleRank } from '@aviary/contracts';
import { DomainError } from '@aviary/core';
import type { SessionsRepo, SettingsRepo, StoredToken, TokensRepo, UsersRepo } from '@aviary/db';
import type { FastifyRequest } from 'fastify';
import { dummyHash, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { type IsTrusted, headerCount, headerValue, readCookie } from './request-info.ts';
import { newSecret, sessionPrefix, sha256 } from './secrets.ts';
import { roleOfGroups } from './trusted-proxy.ts';

export interface AuthenticatorDeps {
  adminToken: string;
  /** AVIARY_ADMIN_TOKEN_DISABLED: the bootstrap token stops working once an admin user exists. */
  adminTokenDisabled?: boolean;
  users: UsersRepo;
  tokens: TokensRepo;
  sessions: SessionsRepo;
  settings: SettingsRepo;
  /** Identity proxies: the only addresses whose user and groups headers are believed. */
  proxy: { isTrusted: IsTrusted; userHeader: string; groupsHeader: string; groupRoles: Map<string, Role> };
  /** The session cookie's name for this request (`__Host-` prefixed when it is Secure). */
  cookieName: (request: FastifyRequest) => string;
  idleMs: number;
  absoluteMs: number;
  now?: () => Date;
}

const touchEveryMs = 60_000;
const lower = (a: Role, b: Role): Role => (roleRank[a] <= roleRank[b] ? a : b);
const unauthorized = (message: string) => new DomainError('unauthorized', message);

/** Turns what a request presents (bearer token, proxy headers, session cookie) into a Principal. */
export class Authenticator {
  /** Which AVIARY_ADMIN_TOKEN is current: recorded on its sessions and the tokens it makes. */
  readonly bootstrapFingerprint: string;
  /** SHA-256 of AVIARY_ADMIN_TOKEN: a presented token is hashed once and compared with it. */
  private readonly bootstrapHash: Buffer;
  private readonly csrfKey: string;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.bootstrapFingerprint = sha256(deps.adminToken).slice(0, 8);
    this.bootstrapHash = Buffer.from(sha256(deps.adminToken), 'hex');
    this.csrfKey = deps.settings.getOrCreate('csrf-key', () => newSecret(''), this.now().toISOString());
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * The principal, null when the request presents no credentials at all, or a DomainError
   * `unauthorized` when it presents ones that are not (or no longer) good.
   */
  identify(request: FastifyRequest): Principal | null {
    const authorization = request.headers.authorization;
    if (authorization) {
      const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
      if (!token)
        throw unauthorized('send Authorization: Bearer <token> with an API token or AVIARY_ADMIN_TOKEN');
      return this.byToken(token);
    }
    const proxied = this.byProxy(request);
    if (proxied) return proxied;
    const cookie = readCookie(request, this.deps.cookieName(request));
    return cookie ? this.bySession(cookie) : null;
  }

  /** A bearer token: AVIARY_ADMIN_TOKEN or an API token. */
  byToken(token: string): Principal {
    // One hash serves both: the constant-time comparison with the admin token, and the lookup
    // of API tokens (stored as their SHA-256).
    const hash = sha256(token);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.bootstrapHash)) {
      this.checkBootstrapEnabled();
      return this.bootstrap(null);
    }
    const stored = this.deps.tokens.bySecretHash(hash);
    if (!stored)
      throw unauthorized(
        'the bearer token is not valid; use an API token (POST /api/v1/tokens) or the AVIARY_ADMIN_TOKEN',
      );
    const principal = this.fromToken(stored, 'api-token', null);
    const now = this.now();
    this.deps.tokens.touch(
      stored.id,
      now.toISOString(),
      new Date(now.getTime() - touchEveryMs).toISOString(),
    );
    return principal;
  }

  async byPassword(username: string, password: string): Promise<Principal | null> {
    const user = this.deps.users.byName(username.trim().toLowerCase());
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
    if (!user || !ok) return null;
    return {
      actor: user.username,
      role: user.role,
      via: 'session',
      userId: user.id,
      tokenId: null,
      csrfToken: null,
    };
  }

  /** Starts a server-side session for `principal`; returns the cookie value and its CSRF token. */
  startSession(principal: Principal): { cookie: string; csrfToken: string; maxAgeSeconds: number } {
    const id = newSecret(sessionPrefix);
    const csrfToken = newSecret('');
    const now = this.now();
    this.deps.sessions.create({
      idHash: sha256(id),
      userId: principal.via === 'api-token' ? null : principal.userId,
      tokenId: principal.tokenId,
      actor: principal.actor,
      bootstrapFingerprint: principal.via === 'bootstrap-token' ? this.bootstrapFingerprint : null,
      role: principal.role,
      csrfToken,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.deps.absoluteMs).toISOString(),
    });
    return { cookie: id, csrfToken, maxAgeSeconds: Math.floor(this.deps.absoluteMs / 1000) };
  }

  endSession(cookie: string): void {
    this.deps.sessions.revoke(sha256(cookie), this.now().toISOString());
  }

  private bySession(cookie: string): Principal {
    const idHash = sha256(cookie);
    const session = this.deps.sessions.byIdHash(idHash);
    const now = this.now();
    if (!session || session.revokedAt) throw unauthorized('your session has ended; sign in again');
    if (now.toISOString() >= session.expiresAt)
      throw unauthorized('your session reached its maximum age; sign in again');
    if (now.getTime() - Date.parse(session.lastSeenAt) > this.deps.idleMs)
      throw unauthorized('your session expired after a period of inactivity; sign in again');
    let principal: Principal;
    if (session.tokenId) {
      const token = this.deps.tokens.byId(session.tokenId);
      if (!token) throw unauthorized('the API token this session started with is gone; sign in again');
      principal = this.fromToken(token, 'session', session.csrfToken);
    } else if (session.userId) {
      const user = this.deps.users.byId(session.userId);
      if (!user) throw unauthorized('your user was removed; ask an admin for an account');
      principal = {
        actor: user.username,
        role: user.role,
        via: 'session',
        userId: user.id,
        tokenId: null,
        csrfToken: session.csrfToken,
      };
    } else {
      if (session.bootstrapFingerprint !== this.bootstrapFingerprint)
        throw unauthorized('AVIARY_ADMIN_TOKEN changed since you signed in; sign in again');
      this.checkBootstrapEnabled();
      principal = this.bootstrap(session.csrfToken);
      principal.via = 'session';
    }
    this.deps.sessions.touch(idHash, now.toISOString(), new Date(now.getTime() - touchEveryMs).toISOString());
    return principal;
  }

  /**
   * Identity headers count only from identity proxies; from anywhere else they are ignored. A
   * repeated one is refused: Node would join the values, and a proxy that appends rather than
   * replaces would let the client choose who it is.
   */
  private byProxy(request: FastifyRequest): Principal | null {
    const { proxy } = this.deps;
    if (!proxy.isTrusted(request.socket.remoteAddress)) return null;
    for (const name of [proxy.userHeader, proxy.groupsHeader])
      if (headerCount(request, name) > 1)
        throw new DomainError(
          'invalid-request',
          `the ${name} header came more than once; configure the proxy to replace it rather than append to it`,
        );
    const user = headerValue(request, proxy.userHeader)?.trim();
    if (!user) return null;
    const groups = (headerValue(request, proxy.groupsHeader) ?? '')
      .split(/[,\s]+/)
      .map((g) => g.trim())
      .filter(Boolean);
    const role = roleOfGroups(groups, proxy.groupRoles);
    if (!role)
      throw new DomainError(
        'forbidden',
        `none of your groups (${groups.join(', ') || 'none'}) has an Aviary role; ask an admin to map one in AVIARY_GROUP_ROLES`,
      );
    const csrfToken = createHmac('sha256', this.csrfKey).update(`proxy:${user}`).digest('base64url');
    return { actor: user, role, via: 'proxy', userId: null, tokenId: null, csrfToken };
  }

  /** An API token's principal: never above its owner's current role. */
  private fromToken(token: StoredToken, via: Principal['via'], csrfToken: string | null): Principal {
    const now = this.now().toISOString();
    if (token.revokedAt)
      throw unauthorized('this API token was revoked; create a new one (POST /api/v1/tokens)');
    if (token.expiresAt && token.expiresAt <= now)
      throw unauthorized(
        `this API token expired at ${token.expiresAt}; create a new one (POST /api/v1/tokens)`,
      );
    if (token.bootstrapFingerprint && token.bootstrapFingerprint !== this.bootstrapFingerprint)
      throw unauthorized(
        'this API token was made with an AVIARY_ADMIN_TOKEN that has since changed; create a new one',
      );
    let role = token.role;
    if (token.ownerId) {
      const owner = this.deps.users.byId(token.ownerId);
      if (!owner) throw unauthorized('the owner of this API token was removed; ask an admin for a new token');
      role = lower(role, owner.role);
    }
    return { actor: token.owner, role, via, userId: token.ownerId, tokenId: token.id, csrfToken };
  }

  /** Turned off once an admin user exists, so it cannot be used to lock that admin out. */
  private checkBootstrapEnabled(): void {
    if (this.deps.adminTokenDisabled && this.deps.users.list().some((u) => u.role === 'admin'))
      throw unauthorized(
        'AVIARY_ADMIN_TOKEN is turned off (AVIARY_ADMIN_TOKEN_DISABLED=1) now that an admin user exists; sign in as a user',
      );
  }

  private bootstrap(csrfToken: string | null): Principal {
    return { actor: 'admin', role: 'admin', via: 'bootstrap-token', userId: null, tokenId: null, csrfToken };
  }
}
