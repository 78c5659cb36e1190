import type { Role } from '@aviary/contracts';
import { AuditRepo, type AviaryDb, SessionsRepo, SettingsRepo, TokensRepo, UsersRepo } from '@aviary/db';
import type { FastifyRequest } from 'fastify';
import { Authenticator } from './authenticator.ts';
import { LoginLimiter } from './rate-limit.ts';
import { type IsTrusted, sessionCookieFor } from './request-info.ts';
import { parseGroupRoles, trustedProxies } from './trusted-proxy.ts';

/** Everything the routes need for identity, access and audit. */
export interface Access {
  authenticator: Authenticator;
  limiter: LoginLimiter;
  loginLimits: { perAccount: number; perAddress: number };
  /** Failed bearer tokens per client address (in the limiter's window) before each try waits. */
  tokenFailuresPerAddress: number;
  users: UsersRepo;
  tokens: TokensRepo;
  settings: SettingsRepo;
  audit: AuditRepo;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. */
  isTrusted: IsTrusted;
  /** The session cookie's name for this request, and whether it is Secure. */
  sessionCookie: (request: FastifyRequest) => { name: string; secure: boolean };
}

export interface AccessConfig {
  adminToken: string;
  adminTokenDisabled?: boolean;
  /** Proxies whose forwarding headers are believed; also identity proxies when the next is unset. */
  trustedProxies: string;
  /** Proxies whose identity headers are believed; undefined: the same as trustedProxies. */
  trustedIdentityProxies?: string;
  /** Always mark the session cookie Secure (and so `__Host-`), e.g. behind TLS we cannot see. */
  secureCookies?: boolean;
  userHeader: string;
  groupsHeader: string;
  groupRoles: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  tokenFailuresPerAddress: number;
}

const loginWindowMs = 15 * 60_000;

export const anonymousReadKey = 'anonymous-read';
export const anonymousReadEnabled = (settings: SettingsRepo): boolean =>
  settings.get<boolean>(anonymousReadKey, false) === true;

export function createAccess(database: Pick<AviaryDb, 'db' | 'sqlite'>, config: AccessConfig): Access {
  const users = new UsersRepo(database);
  const tokens = new TokensRepo(database);
  const settings = new SettingsRepo(database);
  const isTrusted = trustedProxies(config.trustedProxies, 'AVIARY_TRUSTED_PROXIES');
  const isIdentityProxy =
    config.trustedIdentityProxies === undefined
      ? isTrusted
      : trustedProxies(config.trustedIdentityProxies, 'AVIARY_TRUSTED_IDENTITY_PROXIES');
  const sessionCookie = (request: FastifyRequest) =>
    sessionCookieFor(request, isTrusted, config.secureCookies === true);
  const groupRoles: Map<string, Role> = parseGroupRoles(config.groupRoles);
  const authenticator = new Authenticator({
    adminToken: config.adminToken,
    adminTokenDisabled: config.adminTokenDisabled,
    users,
    tokens,
    sessions: new SessionsRepo(database),
    settings,
    proxy: {
      isTrusted: isIdentityProxy,
      userHeader: config.userHeader,
      groupsHeader: config.groupsHeader,
      groupRoles,
    },
    cookieName: (request) => sessionCookie(request).name,
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: config.sessionMaxHours * 3_600_000,
  });
  return {
    authenticator,
    limiter: new LoginLimiter({ windowMs: loginWindowMs }),
    loginLimits: { perAccount: config.loginFailuresPerAccount, perAddress: config.loginFailuresPerAddress },
    tokenFailuresPerAddress: config.tokenFailuresPerAddress,
    users,
    tokens,
    settings,
    audit: new AuditRepo(database),
    isTrusted,
    sessionCookie,
  };
}
