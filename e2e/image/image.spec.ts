import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authPaths, paths } from '@aviary/contracts';
import { type Sandbox, startSandbox } from '@aviary/sandbox';
import { expect, test } from '@playwright/test';
import { ApiSession } from '../session.ts';
import { users } from '../users.ts';
import { buildImage, ensureBase, podman } from './podman.ts';

// The image as a user gets it: built from the Dockerfile with podman, run with a read-only
// root filesystem on the host network against the sandbox cluster and its Prometheus.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tag = 'localhost/aviary:test';
const token = 'image-admin-token-0123456789-abcdefgh';
const uid = 10001;

let sandbox: Sandbox;
let container = '';
let url = '';
let work = '';

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** The VirtualService's weights, straight from the cluster. */
async function weights(service: string): Promise<{ stable: number; canary: number }> {
  const res = await fetch(
    `${sandbox.endpoints.apiServer}/apis/networking.istio.io/v1/namespaces/shop/virtualservices/${service}`,
  );
  const vs = (await res.json()) as {
    spec: { http: { route: { destination: { subset: string }; weight?: number }[] }[] };
  };
  const route = vs.spec.http.at(-1)?.route ?? [];
  const of = (subset: string) => route.find((r) => r.destination.subset === subset)?.weight ?? 0;
  return { stable: of('stable'), canary: of('canary') };
}

test.beforeAll(async () => {
  test.setTimeout(30 * 60_000);
  work = mkdtempSync(join(tmpdir(), 'aviary-image-'));
  let started = Date.now();
  ensureBase();
  buildImage(root, tag, join(work, 'build.log'));
  const buildSeconds = (Date.now() - started) / 1000;

  sandbox = await startSandbox({
    dir: join(work, 'sandbox'),
    rps: 40,
    readyDelayMs: 150,
    scrapeIntervalSeconds: 2,
    prometheus: 'embedded',
  });
  // The container's only writable path, owned by the image's user as a volume would be.
  const dataDir = mkdtempSync(join(work, 'data-'));
  chownSync(dataDir, uid, uid);
  chmodSync(dataDir, 0o700);
  // A free port on the host network: take one, give it back, hand it to the container.
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  url = `http://127.0.0.1:${port}`;
  container = `aviary-image-test-${process.pid}`;
  started = Date.now();
  podman([
    'run',
    '--detach',
    '--name',
    container,
    '--network=host',
    '--read-only',
    '--cap-drop=ALL',
    '--security-opt=no-new-privileges',
    '--volume',
    `${dataDir}:/var/lib/aviary`,
    '--volume',
    `${sandbox.endpoints.kubeconfig}:/etc/aviary/kubeconfig:ro`,
    '--env',
    'AVIARY_HOST=127.0.0.1',
    '--env',
    `AVIARY_PORT=${port}`,
    '--env',
    'AVIARY_KUBECONFIG=/etc/aviary/kubeconfig',
    '--env',
    `AVIARY_PROMETHEUS_URL=${sandbox.endpoints.prometheus}`,
    '--env',
    `AVIARY_ADMIN_TOKEN=${token}`,
    '--env',
    'AVIARY_GATE_INTERVAL=1',
    '--env',
    'AVIARY_CHART_WINDOW=10',
    '--env',
    'AVIARY_AVAILABLE_TIMEOUT_MS=30000',
    '--env',
    'AVIARY_LOG_LEVEL=warn',
    tag,
  ]);
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    const state = podman(['inspect', '--format', '{{.State.Status}}', container]);
    if (state !== 'running')
      throw new Error(`the container stopped (${state}):\n${podman(['logs', container])}`);
    if (Date.now() - started > 180_000)
      throw new Error(`not ready after 180 s:\n${podman(['logs', container])}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const readySeconds = (Date.now() - started) / 1000;
  const bytes = Number(podman(['image', 'inspect', '--format', '{{.Size}}', tag]));
  console.log(
    `image ${tag}: ${(bytes / 1e6).toFixed(0)} MB; built in ${buildSeconds.toFixed(0)} s; ready ${readySeconds.toFixed(1)} s after podman run`,
  );
});

test.afterAll(async () => {
  if (container) {
    if (test.info().errors.length > 0) console.log(podman(['logs', container], { allowFailure: true }));
    podman(['rm', '--force', '--time', '5', container], { allowFailure: true });
  }
  await sandbox?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('answers /healthz and /readyz with the database, cluster and Prometheus reachable', async () => {
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const ready = (await (await fetch(`${url}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
  expect(ready.checks).toEqual({ database: { ok: true }, cluster: { ok: true }, prometheus: { ok: true } });
  expect(podman(['inspect', '--format', '{{.Config.Healthcheck.Test}}', container])).toContain('/healthz');
});

test('runs as a non-root user on a read-only root filesystem, writing only /var/lib/aviary', () => {
  const pid = podman(['inspect', '--format', '{{.State.Pid}}', container]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const uids = status
    .match(/^Uid:\s+(.+)$/m)?.[1]
    ?.split(/\s+/)
    .map(Number);
  expect(uids).toEqual([uid, uid, uid, uid]);
  const write = (path: string) =>
    podman(['exec', container, 'sh', '-c', `touch ${path} && echo written || echo refused`]);
  expect(write('/app/probe')).toBe('refused');
  expect(write('/var/lib/aviary/probe')).toBe('written');
  expect(podman(['exec', container, 'ls', '/var/lib/aviary'])).toContain('aviary.db');
});

test('holds no tsx, vitest, vite or sandbox code', () => {
  const stores = podman(['run', '--rm', '--entrypoint', 'ls', tag, '/app/node_modules/.pnpm']).split('\n');
  expect(stores.length).toBeGreaterThan(20);
  const banned = stores.filter((name) => /^(tsx|vitest|vite|@vitest\+[^@]+|@aviary\+sandbox)@/.test(name));
  expect(banned).toEqual([]);
  const found = podman([
    'run',
    '--rm',
    '--entrypoint',
    'sh',
    tag,
    '-c',
    'find /app -name tsx -o -name vitest -o -name vite -o -path "*/@aviary/sandbox"; ls /app/packages; grep -rl startSandbox /app --include=*.js || true',
  ]).split('\n');
  expect(found.sort()).toEqual(['contracts', 'core', 'db', 'kube', 'prometheus']);
});

test('the dashboard loads in Chromium and signs in', async ({ page }) => {
  const bootstrap = await ApiSession.login(url, { token });
  expect(bootstrap.me.setupRequired).toBe(true);
  await bootstrap.send('POST', authPaths.users, users.admin);
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Sign in to Aviary' })).toBeVisible();
  await page.getByLabel('Username', { exact: true }).fill(users.admin.username);
  await page.getByLabel('Password', { exact: true }).fill(users.admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('session')).toHaveAttribute('data-role', 'admin');
  await expect(page.getByRole('heading', { name: 'Active rollouts' })).toBeVisible();
});

test('a rollout starts, steps and rolls back through the container', async () => {
  const started = await api('POST', paths.rollouts, {
    namespace: 'shop',
    service: 'checkout',
    image: 'registry.local/shop/checkout:1.1.0',
    reason: 'image test',
  });
  expect(started.status, JSON.stringify(started.body)).toBeLessThan(300);
  const id = (started.body.rollout as { id: string } | undefined)?.id ?? (started.body.id as string);
  const rollout = () => api('GET', paths.rollout.replace(':id', id)).then((r) => r.body);
  await expect.poll(async () => (await rollout()).phase, { timeout: 60_000 }).toBe('progressing');
  await expect.poll(() => weights('checkout'), { timeout: 30_000 }).toEqual({ stable: 99, canary: 1 });

  const step = await api('POST', paths.rolloutActions.replace(':id', id), {
    type: 'step',
    override: true,
    reason: 'image test: step without waiting for the gate',
  });
  expect(step.status, JSON.stringify(step.body)).toBeLessThan(300);
  await expect.poll(() => weights('checkout'), { timeout: 60_000 }).toEqual({ stable: 95, canary: 5 });

  const back = await api('POST', paths.rolloutActions.replace(':id', id), {
    type: 'rollback',
    reason: 'image test: roll back',
  });
  expect(back.status, JSON.stringify(back.body)).toBeLessThan(300);
  await expect.poll(async () => (await rollout()).phase, { timeout: 60_000 }).toBe('rolled-back');
  expect(await weights('checkout')).toEqual({ stable: 100, canary: 0 });
});
