import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';

/** A Prometheus `file_sd` entry: addresses to scrape and the labels to attach to their series. */
export interface ScrapeTarget {
  targets: string[];
  labels: Record<string, string>;
}

/** One scrape job per group of targets; each job reads its own file_sd file. */
export type ScrapeJobs = Record<string, ScrapeTarget[]>;

export interface PrometheusOptions {
  /** Working folder: config, file_sd targets, TSDB and log. */
  dir: string;
  jobs: readonly string[];
  scrapeIntervalSeconds: number;
  binary?: string;
}

export const installHint =
  'Prometheus is not installed. Install it with `sudo apt-get install -y --no-install-recommends prometheus`, ' +
  'set AVIARY_PROMETHEUS_BIN to its path, or set AVIARY_SANDBOX_PROMETHEUS_URL to use a running one.';

/** The `prometheus` binary to run, or undefined when none is installed. */
export function findPrometheusBinary(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return findExecutable('prometheus');
}

/**
 * The real Prometheus binary as a child process on a free loopback port, scraping targets the
 * sandbox writes to file_sd files (Prometheus reloads those on change, no restart needed).
 * `stop()`/`start()` keep the port and the TSDB, so a test can take Prometheus away and bring
 * it back as an outage would.
 */
export class PrometheusProcess {
  private child: ChildProcess | undefined;
  private port = 0;
  private readonly binary: string;

  constructor(private readonly opts: PrometheusOptions) {
    const binary = findPrometheusBinary(opts.binary);
    if (!binary) throw new Error(installHint);
    this.binary = binary;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await mkdir(join(this.opts.dir, 'data'), { recursive: true });
    if (this.port === 0) {
      this.port = await freePort();
      await this.writeConfig();
      for (const job of this.opts.jobs) await this.writeTargets(job, []);
    }
    const args = [
      `--config.file=${join(this.opts.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(this.opts.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      '--storage.tsdb.retention.time=2d',
      '--web.enable-lifecycle',
      '--log.level=warn',
    ];
    // setpriv's parent-death signal takes Prometheus down with us even if we are SIGKILLed.
    const setpriv = findExecutable('setpriv');
    const [command, argv] = setpriv
      ? [setpriv, ['--pdeathsig', 'KILL', this.binary, ...args]]
      : [this.binary, args];
    const log = createWriteStream(join(this.opts.dir, 'prometheus.log'), { flags: 'a' });
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await this.waitReady(child);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  /** Replace one job's targets; written atomically so Prometheus never reads half a file. */
  async writeTargets(job: string, targets: ScrapeTarget[]): Promise<void> {
    const file = join(this.opts.dir, `targets-${job}.json`);
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify(targets));
    await rename(tmp, file);
  }

  /** Drop all stored samples (used by tests that prove history outlives Prometheus). */
  async wipe(): Promise<void> {
    await this.stop();
    await rm(join(this.opts.dir, 'data'), { recursive: true, force: true });
  }

  private async writeConfig(): Promise<void> {
    const interval = `${this.opts.scrapeIntervalSeconds}s`;
    const config = {
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      scrape_configs: this.opts.jobs.map((job) => ({
        job_name: job,
        file_sd_configs: [
          { files: [join(this.opts.dir, `targets-${job}.json`)], refresh_interval: interval },
        ],
      })),
    };
    await writeFile(join(this.opts.dir, 'prometheus.yml'), stringify(config));
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `prometheus exited (${child.exitCode ?? child.signalCode}); see ${join(this.opts.dir, 'prometheus.log')}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(
      `prometheus did not become ready within 30 s; see ${join(this.opts.dir, 'prometheus.log')}`,
    );
  }
}

function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
