import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { readEnv } from '../src/env.ts';
import { type RunningServer, startServer } from '../src/run.ts';

export const token = 'test-admin-token-0123456789-abcdef';

export interface Stack {
  dir: string;
  sandbox: Sandbox;
  server: RunningServer;
  env: Record<string, string>;
  api: Api;
  stop(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
export type Json = any;

export type Api = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: Json; headers: Headers }>;

export function apiClient(base: string): Api {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        // Reads need a role too (anonymous read-only access is off by default).
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

/** The whole stack on real parts: the sandbox cluster, a SQLite file, the API on a free port. */
export async function startStack(
  opts: {
    prometheus?: boolean;
    actionWaitMs?: number;
    rps?: number;
    routerRps?: number;
    env?: Record<string, string>;
  } = {},
): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-api-'));
  const sandbox = await startSandbox({
    dir: join(dir, 'sandbox'),
    rps: opts.rps ?? 5,
    ...(opts.routerRps === undefined ? {} : { routerRps: opts.routerRps }),
    readyDelayMs: 150,
    scrapeIntervalSeconds: 2,
    prometheus: opts.prometheus ? 'embedded' : 'none',
  });
  const env: Record<string, string> = {
    AVIARY_HOST: '127.0.0.1',
    AVIARY_PORT: '0',
    AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
    AVIARY_DB: join(dir, 'aviary.db'),
    AVIARY_ADMIN_TOKEN: token,
    AVIARY_LOG_LEVEL: 'silent',
    AVIARY_ACTION_WAIT_MS: String(opts.actionWaitMs ?? 15_000),
    AVIARY_AVAILABLE_TIMEOUT_MS: '20000',
    ...(sandbox.endpoints.prometheus ? { AVIARY_PROMETHEUS_URL: sandbox.endpoints.prometheus } : {}),
    ...opts.env,
  };
  const server = await startServer(readEnv(env, {}));
  return {
    dir,
    sandbox,
    server,
    env,
    api: apiClient(server.url),
    async stop() {
      await server.stop();
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A Kubernetes REST call straight to the sandbox, bypassing Aviary (what kubectl would do). */
export async function kube(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/merge-patch+json',
): Promise<Json> {
  const res = await fetch(stack.sandbox.endpoints.apiServer + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

export const vsPath = (service: string) =>
  `/apis/networking.istio.io/v1/namespaces/shop/virtualservices/${service}`;
export const deployPath = (name: string) => `/apis/apps/v1/namespaces/shop/deployments/${name}`;

/** The split the cluster really has, read from the VirtualService. */
export async function clusterWeights(
  stack: Stack,
  service: string,
): Promise<{ stable: number; canary: number }> {
  const vs = await kube(stack, 'GET', vsPath(service));
  const route = vs.spec.http[0].route as { destination: { subset: string }; weight?: number }[];
  const w = (subset: string) => route.find((d) => d.destination.subset === subset)?.weight ?? 0;
  return { stable: w('stable'), canary: w('canary') };
}

/** Start a rollout and wait until its first step is live. */
export async function startRollout(
  stack: Stack,
  service: string,
  image: string,
  extra: Record<string, unknown> = {},
): Promise<Json> {
  const res = await stack.api('POST', '/api/v1/rollouts', { namespace: 'shop', service, image, ...extra });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return waitFor(
    async () => {
      const r = await stack.api('GET', `/api/v1/rollouts/${res.body.id}`);
      return r.body.phase === 'progressing' && r.body.operation === null ? r.body : undefined;
    },
    20_000,
    `rollout ${res.body.id} to reach its first step`,
  );
}

/** Wait until a rollout has no operation under way (a rollback's cleanup included). */
export async function settled(stack: Stack, id: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = (await stack.api('GET', `/api/v1/rollouts/${id}`)).body;
      return r.operation === null ? r : undefined;
    },
    20_000,
    `rollout ${id} to settle`,
  );
}
