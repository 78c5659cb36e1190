import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnv } from '@aviary/api/env';
import { startServer } from '@aviary/api/run';
import { startSandbox } from '@aviary/sandbox';

export const adminToken = 'e2e-admin-token-0123456789-abcdef';
export const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'web', 'dist');

export interface Stack {
  url: string;
  stop(): Promise<void>;
}

/**
 * The whole product on real parts: the sandbox cluster with its real Prometheus, the API on a
 * free port with a temporary SQLite file, serving the built dashboard.
 */
export async function startStack(
  opts: { rps?: number; db?: string; env?: Record<string, string> } = {},
): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-e2e-'));
  const sandbox = await startSandbox({
    dir: join(dir, 'sandbox'),
    rps: opts.rps ?? 40,
    readyDelayMs: 150,
    scrapeIntervalSeconds: 2,
    prometheus: 'embedded',
  });
  try {
    const server = await startServer(
      readEnv(
        {
          AVIARY_HOST: '127.0.0.1',
          AVIARY_PORT: '0',
          AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
          AVIARY_PROMETHEUS_URL: sandbox.endpoints.prometheus ?? undefined,
          AVIARY_DB: opts.db ?? join(dir, 'aviary.db'),
          AVIARY_ADMIN_TOKEN: adminToken,
          AVIARY_LOG_LEVEL: 'warn',
          AVIARY_WEB_ROOT: webRoot,
          AVIARY_GATE_INTERVAL: '1',
          AVIARY_CHART_WINDOW: '10',
          AVIARY_AVAILABLE_TIMEOUT_MS: '20000',
          AVIARY_SANDBOX: '1',
          ...opts.env,
        },
        {},
      ),
    );
    return {
      url: server.url,
      async stop() {
        await server.stop();
        await sandbox.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sandbox.stop();
    throw err;
  }
}
