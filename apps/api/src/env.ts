import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The only place that reads process.env. Every setting is named AVIARY_*. */
const Env = z.object({
  AVIARY_HOST: z.string().default('127.0.0.1'),
  AVIARY_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  AVIARY_KUBECONFIG: z.string().optional(),
  AVIARY_KUBE_CONTEXT: z.string().optional(),
  AVIARY_ISTIO_API_VERSION: z.enum(['v1', 'v1beta1', 'v1alpha3']).default('v1'),
  AVIARY_PROMETHEUS_URL: z.url().optional(),
  AVIARY_DB: z.string().default('.aviary/aviary.db'),
  /** The bootstrap admin's bearer token (actor `admin`); generated and printed at start when unset, never printed when set. */
  AVIARY_ADMIN_TOKEN: z.string().min(32, 'AVIARY_ADMIN_TOKEN must be at least 32 characters').optional(),
  /** `1`: the bootstrap token stops working as soon as an admin user exists. */
  AVIARY_ADMIN_TOKEN_DISABLED: z.enum(['0', '1']).default('0'),
  /** How long an action request waits for its cluster work before answering (202) with the rollout mid-operation. */
  AVIARY_ACTION_WAIT_MS: z.coerce.number().int().min(0).default(15_000),
  AVIARY_AVAILABLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(180_000),
  /** Seconds between gate evaluations (and metric samples) of every active rollout. */
  AVIARY_GATE_INTERVAL: z.coerce.number().min(0.2).max(300).default(1),
  /** Seconds between stored chart points of a rollout (never finer than the gate interval). */
  AVIARY_CHART_INTERVAL: z.coerce.number().min(0.2).max(300).default(5),
  /** Seconds of data behind each chart point's rates. */
  AVIARY_CHART_WINDOW: z.coerce.number().int().min(5).max(3600).default(30),
  /** Where the guard's leader-election Lease lives. */
  AVIARY_LEASE_NAMESPACE: z.string().default('default'),
  AVIARY_LEASE_NAME: z.string().default('aviary-guard'),
  /** Seconds a router watch may receive nothing (not even a bookmark) before it is started again. */
  AVIARY_WATCH_IDLE_SECONDS: z.coerce.number().min(1).max(3600).default(180),
  /** When set, `/metrics` needs `Authorization: Bearer <it>`; otherwise it is public like most exporters. */
  AVIARY_METRICS_TOKEN: z.string().min(32, 'AVIARY_METRICS_TOKEN must be at least 32 characters').optional(),
  /** Event streams (`/api/v1/stream`) one principal may hold open, and all principals together. */
  AVIARY_STREAMS_PER_PRINCIPAL: z.coerce.number().int().min(1).default(16),
  AVIARY_STREAMS_TOTAL: z.coerce.number().int().min(1).default(1000),
  /** Seconds between an open stream's keep-alives, each re-checking its session or token. */
  AVIARY_STREAM_CHECK_SECONDS: z.coerce.number().min(0.1).max(300).default(15),
  AVIARY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The built dashboard served at `/` (apps/web/dist by default, when it exists). */
  AVIARY_WEB_ROOT: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
  /** Set by the dev entry when Aviary runs on the sandbox; the dashboard shows a banner. */
  AVIARY_SANDBOX: z.enum(['0', '1']).default('0'),
  /** The sandbox `npm start` runs when no cluster is configured (the same settings as `pnpm sandbox`). */
  AVIARY_SANDBOX_DIR: z.string().min(1).optional(),
  AVIARY_SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  AVIARY_SANDBOX_RPS: z.coerce.number().min(0).default(50),
  AVIARY_SANDBOX_SCRAPE_INTERVAL: z.coerce.number().min(0.1).default(5),
  AVIARY_SANDBOX_PROMETHEUS_URL: z.url().optional(),
  /** Dashboard sessions end after this long without a request, and after the maximum age in any case. */
  AVIARY_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  AVIARY_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Failed sign-ins per account and per client address in 15 minutes before each try waits a growing delay. */
  AVIARY_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  AVIARY_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  /** Refused bearer tokens per client address in 15 minutes before each try waits a growing delay. */
  AVIARY_TOKEN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  /** Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For/-Proto are believed, and identity headers unless the next is set. */
  AVIARY_TRUSTED_PROXIES: z.string().default(''),
  /** When set: the only proxies whose identity headers (user, groups) are believed. */
  AVIARY_TRUSTED_IDENTITY_PROXIES: z.string().optional(),
  /** `1`: the session cookie is always Secure (and named `__Host-aviary_session`), not only over HTTPS. */
  AVIARY_SECURE_COOKIES: z.enum(['0', '1']).default('0'),
  AVIARY_AUTH_USER_HEADER: z.string().min(1).default('x-forwarded-user'),
  AVIARY_AUTH_GROUPS_HEADER: z.string().min(1).default('x-forwarded-groups'),
  /** Proxy groups to roles, e.g. `release-managers=operator,sre=admin,*=viewer` (`*`: any user). */
  AVIARY_GROUP_ROLES: z.string().default(''),
  /** How long a request under the two-person rule waits for its approval before it expires. */
  AVIARY_APPROVAL_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /** Namespaces Aviary may act in (comma-separated); empty: any. Anything else is 403 namespace-not-allowed. */
  AVIARY_ALLOWED_NAMESPACES: z.string().default(''),
  /** Registries or repository prefixes a canary image may come from (comma-separated); empty: any. */
  AVIARY_ALLOWED_REGISTRIES: z.string().default(''),
});
export type Env = z.infer<typeof Env>;

export function readEnv(
  overrides: Record<string, string | undefined> = {},
  source: NodeJS.ProcessEnv = process.env,
): Env {
  const parsed = Env.safeParse({ ...source, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}
