import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startSandbox } from './sandbox.ts';

/** The workspace root: the nearest folder holding pnpm-workspace.yaml. */
function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
  return dir;
}

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const dir = process.env.AVIARY_SANDBOX_DIR ?? join(repoRoot(), '.aviary', 'sandbox');
const externalPrometheus = process.env.AVIARY_SANDBOX_PROMETHEUS_URL;

const sandbox = await startSandbox({
  dir,
  port: numberEnv('AVIARY_SANDBOX_PORT', 0),
  rps: numberEnv('AVIARY_SANDBOX_RPS', 50),
  routerRps: numberEnv('AVIARY_SANDBOX_ROUTER_RPS', 10),
  scrapeIntervalSeconds: numberEnv('AVIARY_SANDBOX_SCRAPE_INTERVAL', 5),
  prometheus: externalPrometheus ? { url: externalPrometheus } : 'embedded',
}).catch((err: Error) => {
  console.error(`sandbox failed to start: ${err.message}`);
  process.exit(1);
});

const { apiServer, prometheus, kubeconfig } = sandbox.endpoints;
console.log(JSON.stringify(sandbox.endpoints));
console.log(`Aviary sandbox is running.
  Kubernetes API  ${apiServer}
  Prometheus      ${prometheus ?? '(none)'}
  kubeconfig      ${kubeconfig}
  endpoints       ${join(dir, 'endpoints.json')}
Try:  KUBECONFIG=${kubeconfig} kubectl get deployments,pods,virtualservices -n shop
Stop with Ctrl-C.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the sandbox…`);
    sandbox.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
