import { join, resolve } from 'node:path';
import { startSandbox } from '@aviary/sandbox';
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
console.log(`
Aviary is running${sandbox ? ' on the sandbox' : ''}.
  dashboard  ${server.url}/#token=${env.AVIARY_ADMIN_TOKEN ?? server.adminToken}   (the link signs you in)
  API        ${server.url}   (reference: ${server.url}/api/docs)
  token      ${env.AVIARY_ADMIN_TOKEN ? '(AVIARY_ADMIN_TOKEN)' : server.adminToken}${
    sandbox
      ? `
  cluster    ${sandbox.endpoints.apiServer}   kubeconfig ${sandbox.endpoints.kubeconfig}
  Prometheus ${sandbox.endpoints.prometheus}`
      : ''
  }
Try: curl -s -H "Authorization: Bearer ${env.AVIARY_ADMIN_TOKEN ?? server.adminToken}" ${server.url}/api/v1/targets
Stop with Ctrl-C.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await sandbox?.stop();
    process.exit(0);
  });
}
