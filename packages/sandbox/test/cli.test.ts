import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kube, waitFor } from './helpers.ts';

const packageDir = join(import.meta.dirname, '..');

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

describe('pnpm sandbox (the CLI)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function startCli() {
    const dir = await mkdtemp(join(tmpdir(), 'aviary-cli-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts'], {
      cwd: packageDir,
      env: {
        ...process.env,
        AVIARY_SANDBOX_DIR: dir,
        AVIARY_SANDBOX_RPS: '5',
        AVIARY_SANDBOX_SCRAPE_INTERVAL: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('Aviary sandbox is running'), 40_000, 'the sandbox to start');
    const endpoints = JSON.parse(await readFile(join(dir, 'endpoints.json'), 'utf8'));
    return { dir, child, exited, endpoints, output: () => output };
  }

  it('writes kubeconfig and endpoints.json, serves the seed, and leaves nothing behind on SIGINT', async () => {
    const { dir, child, exited, endpoints, output } = await startCli();
    expect(endpoints.kubeconfig).toBe(join(dir, 'kubeconfig'));
    expect(output()).toContain(endpoints.apiServer);

    const kubeconfig = parse(await readFile(endpoints.kubeconfig, 'utf8'));
    expect(kubeconfig.clusters[0].cluster).toEqual({
      server: endpoints.apiServer,
      'insecure-skip-tls-verify': true,
    });

    const vs = await kube(
      endpoints.apiServer,
      'GET',
      '/apis/networking.istio.io/v1/namespaces/shop/virtualservices',
    );
    expect(vs.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort()).toEqual([
      'catalog',
      'checkout',
      'payments',
    ]);
    expect(await reachable(`${endpoints.prometheus}/-/ready`)).toBe(true);

    // The fault-injection control takes Prometheus away and brings it back on the same URL.
    expect((await kube(endpoints.apiServer, 'POST', '/_sandbox/prometheus/stop')).body.running).toBe(false);
    expect(await reachable(`${endpoints.prometheus}/-/ready`)).toBe(false);
    expect((await kube(endpoints.apiServer, 'POST', '/_sandbox/prometheus/start')).body.running).toBe(true);
    expect(await reachable(`${endpoints.prometheus}/-/ready`)).toBe(true);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await reachable(`${endpoints.prometheus}/-/ready`)).toBe(false);
    expect(await reachable(`${endpoints.apiServer}/version`)).toBe(false);
  }, 90_000);

  it('takes its Prometheus down with it even when killed with SIGKILL', async () => {
    const { child, exited, endpoints } = await startCli();
    expect(await reachable(`${endpoints.prometheus}/-/ready`)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    await waitFor(
      async () => !(await reachable(`${endpoints.prometheus}/-/ready`)),
      5_000,
      'Prometheus to exit',
    );
  }, 60_000);
});
