import { join, resolve } from 'node:path';
import { startSandbox } from '@aviary/sandbox';
import { startBanner } from './banner.ts';
import { readEnv } from './env.ts';
import { startServer } from './run.ts';

// The demo entry: Aviary on the sandbox unless a real cluster is configured.
const root = resolve(import.meta.dirname, '..', '..', '..');
const base = readEnv();
const externalPrometheus = base.AVIARY_SANDBOX_PROMETHEUS_URL ?? base.AVIARY_PROMETHEUS_URL;
const sandbox = base.AVIARY_KUBECONFIG
  ? undefined
  : await startSandbox({
      dir: base.AVIARY_SANDBOX_DIR ? resolve(base.AVIARY_SANDBOX_DIR) : join(root, '.aviary', 'sandbox'),
      port: base.AVIARY_SANDBOX_PORT,
      rps: base.AVIARY_SANDBOX_RPS,
      scrapeIntervalSeconds: base.AVIARY_SANDBOX_SCRAPE_INTERVAL,
      prometheus: externalPrometheus ? { url: externalPrometheus } : 'embedded',
    });
const env = sandbox
  ? readEnv({
      AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
      AVIARY_PROMETHEUS_URL: sandbox.endpoints.prometheus ?? undefined,
      AVIARY_DB: base.AVIARY_DB === '.aviary/aviary.db' ? join(root, '.aviary', 'aviary.db') : base.AVIARY_DB,
      AVIARY_SANDBOX: '1',
    })
  : base;

const server = await startServer(env);
console.log(
  startBanner({
    url: server.url,
    adminToken: server.adminToken,
    configured: Boolean(env.AVIARY_ADMIN_TOKEN),
    sandbox: sandbox?.endpoints,
  }),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await sandbox?.stop();
    process.exit(0);
  });
}
