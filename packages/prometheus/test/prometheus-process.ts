import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusClient } from '../src/client.ts';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

export interface RunningPrometheus {
  url: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
  /** stop() and remove the temp dir. */
  dispose(): Promise<void>;
}

/**
 * The real Prometheus binary in a temp dir on a free loopback port, scraping `targets` every
 * second. Under setpriv's parent-death signal it dies with the test runner even on SIGKILL.
 */
export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'aviary-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: mesh',
    '    static_configs:',
    `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  const args = [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  const [command, argv] = setpriv
    ? [setpriv, ['--pdeathsig', 'KILL', PROMETHEUS_BIN, ...args]]
    : [PROMETHEUS_BIN, args];
  const log = openSync(join(dir, 'prometheus.log'), 'a');
  const child: ChildProcess = spawn(command, argv, { stdio: ['ignore', log, log] });
  closeSync(log); // the child holds its own copy
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const running = () => child.exitCode === null && child.signalCode === null;

  const stop = async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, running);
  } catch (err) {
    await stop();
    const tail = await readFile(join(dir, 'prometheus.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${tail.slice(-2_000)}`);
  }
  return {
    url,
    stop,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, running: () => boolean): Promise<void> {
  const client = new PrometheusClient({ url, timeoutMs: 1_000 });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!running()) throw new Error('prometheus exited during start-up');
    if (await client.ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('prometheus was not ready within 20 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
