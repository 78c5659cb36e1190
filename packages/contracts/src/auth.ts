import { z } from 'zod';

/** viewer < operator < admin: each role may do everything the roles before it may. */
export const roles = ['viewer', 'operator', 'admin'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const roleRank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };
export const atLeast = (role: Role, needed: Role): boolean => roleRank[role] >= roleRank[needed];

/** Route paths of identity, access and audit; shared by the API and the dashboard. */
export const authPaths = {
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/auth/me',
  tokens: '/api/v1/tokens',
  token: '/api/v1/tokens/:id',
  users: '/api/v1/users',
  user: '/api/v1/users/:id',
  settings: '/api/v1/settings',
  audit: '/api/v1/audit',
} as const;

/** The header a cookie-authenticated state-changing request must carry (value from `GET /auth/me`). */
export const csrfHeader = 'x-csrf-token';
export const sessionCookie = 'aviary_session';
/** The name of a `Secure` session cookie: the `__Host-` prefix pins it to this host and Path=/. */
export const secureSessionCookie = `__Host-${sessionCookie}`;

export const IdParams = z.object({ id: z.string().min(1).max(100) });

export const CreateTokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  role: Role,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  owner: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The only response that ever carries a token's secret. */
export const CreatedToken = z.object({ id: z.string(), name: z.string(), role: Role, token: z.string() });
export const TokenList = z.object({ items: z.array(ApiToken) });

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'use 1–64 lowercase letters, digits, ".", "_", "@" or "-"');

/** Names that stand for Aviary itself or the bootstrap token in history and audit: no user may take one. */
export const reservedUsernames = ['admin', 'aviary', 'system', 'anonymous', 'cluster'] as const;

export const CreateUserRequest = z.object({
  username: Username.refine(
    (name) => !(reservedUsernames as readonly string[]).includes(name),
    `${reservedUsernames.join(', ')} are reserved (they name Aviary itself and the bootstrap token in history); pick another username`,
  ),
  password: z.string().min(12, 'use a password of at least 12 characters').max(200),
  role: Role,
});
export const User = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  createdAt: z.string(),
  createdBy: z.string(),
});
export type User = z.infer<typeof User>;
export const UserList = z.object({ items: z.array(User) });

export const LoginRequest = z.union([
  z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
  z.object({ token: z.string().min(1).max(500) }),
]);
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Who the caller is. `csrfToken` is set for cookie and proxy sessions: send it as `x-csrf-token`. */
export const Me = z.object({
  user: z.string().nullable(),
  role: Role,
  via: z.enum(['bootstrap-token', 'api-token', 'session', 'proxy', 'anonymous']),
  csrfToken: z.string().nullable(),
  /** No local user exists yet: an admin should create the first one (`POST /api/v1/users`). */
  setupRequired: z.boolean(),
  anonymousRead: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const Settings = z.object({ anonymousRead: z.boolean() });
export type Settings = z.infer<typeof Settings>;
