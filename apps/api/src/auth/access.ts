import type { Role } from '@aviary/contracts';
import { AuditRepo, type AviaryDb, SessionsRepo, SettingsRepo, TokensRepo, UsersRepo } from '@aviary/db';
import { Authenticator } from './authenticator.ts';
import { LoginLimiter } from './rate-limit.ts';
import type { IsTrusted } from './request-info.ts';
import { parseGroupRoles, trustedProxies } from './trusted-proxy.ts';

/** Everything the routes need for identity, access and audit. */
export interface Access {
  authenticator: Authenticator;
  limiter: LoginLimiter;
  loginLimits: { perAccount: number; perAddress: number };
  users: UsersRepo;
  tokens: TokensRepo;
  settings: SettingsRepo;
  audit: AuditRepo;
  isTrusted: IsTrusted;
}

export interface AccessConfig {
  adminToken: string;
  adminTokenDisabled?: boolean;
  trustedProxies: string;
  userHeader: string;
  groupsHeader: string;
  groupRoles: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
}

const loginWindowMs = 15 * 60_000;

export const anonymousReadKey = 'anonymous-read';
export const anonymousReadEnabled = (settings: SettingsRepo): boolean =>
  settings.get<boolean>(anonymousReadKey, false) === true;

export function createAccess(database: Pick<AviaryDb, 'db' | 'sqlite'>, config: AccessConfig): Access {
  const users = new UsersRepo(database);
  const tokens = new TokensRepo(database);
  const settings = new SettingsRepo(database);
  const isTrusted = trustedProxies(config.trustedProxies);
  const groupRoles: Map<string, Role> = parseGroupRoles(config.groupRoles);
  const authenticator = new Authenticator({
    adminToken: config.adminToken,
    adminTokenDisabled: config.adminTokenDisabled,
    users,
    tokens,
    sessions: new SessionsRepo(database),
    settings,
    proxy: { isTrusted, userHeader: config.userHeader, groupsHeader: config.groupsHeader, groupRoles },
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: config.sessionMaxHours * 3_600_000,
  });
  return {
    authenticator,
    limiter: new LoginLimiter({ windowMs: loginWindowMs }),
    loginLimits: { perAccount: config.loginFailuresPerAccount, perAddress: config.loginFailuresPerAddress },
    users,
    tokens,
    settings,
    audit: new AuditRepo(database),
    isTrusted,
  };
}
