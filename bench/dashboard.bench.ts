// The dashboard's two numbers: how much JavaScript the first page load needs (gzip, from the
// built dist, against a 300 KB budget), and how long from navigation until the rollout page's
// charts are drawn for a rollout with 6 hours of stored points, in Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readEnv } from '@aviary/api/env';
import { startServer } from '@aviary/api/run';
import type { MetricPoint } from '@aviary/contracts';
import { SqliteHistoryStore, SqliteMetricPointStore, createDb } from '@aviary/db';
import { startSandbox } from '@aviary/sandbox';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '@aviary/e2e/chromium';
import { fmt, quantile, report } from './lib/stats.ts';
import { goal } from './lib/goals.ts';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'apps', 'web', 'dist');
const budgetKb = 300;
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const hours = 6;
const intervalSeconds = 5;
const adminToken = 'bench-admin-token-0123456789-abcdef';

/** The JavaScript index.html loads before anything runs: its entry script and modulepreloads. */
function initialJs(): { files: string[]; gzipBytes: number; rawBytes: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const f of files) {
    const body = readFileSync(join(dist, f));
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files, gzipBytes, rawBytes };
}

function point(at: Date, arm: MetricPoint['arm'], i: number): MetricPoint {
  const wave = Math.sin(i / 90);
  return {
    at: at.toISOString(),
    arm,
    requestRate: arm === 'canary' ? 8 + 2 * wave : 32 - 2 * wave,
    errorRate: arm === 'canary' ? 0.003 + 0.001 * wave : 0.002,
    p50: 30 + 2 * wave,
    p95: 55 + 5 * wave,
    p99: 70 + 8 * wave,
    business: { 'checkout-conversion': 0.6 + 0.02 * wave },
  };
}

/** A promoted rollout of shop/checkout that ran for six hours, with a point per arm every 5 s. */
function seed(file: string): string {
  const database = createDb(file);
  const history = new SqliteHistoryStore(database);
  const points = new SqliteMetricPointStore(database);
  const end = Date.now() - 60_000;
  const start = end - hours * 3600_000;
  const iso = (t: number) => new Date(t).toISOString();
  const steps = [1, 5, 25, 50, 75, 100];
  const created = history.create(
    {
      id: 'bench-6h',
      target: { namespace: 'shop', service: 'checkout', router: 'istio' },
      stableImage: 'registry.local/shop/checkout:1.0.0',
      canaryImage: 'registry.local/shop/checkout:1.1.0',
      phase: 'promoted',
      weight: 0,
      stepIndex: steps.length - 1,
      steps,
      version: 1,
      operation: null,
      reason: 'bench: six hours of history',
      createdBy: 'admin',
      createdAt: iso(start),
      updatedAt: iso(end),
    },
    [
      {
        at: iso(start),
        actor: 'admin',
        action: 'created',
        fromWeight: null,
        toWeight: 0,
        fromPhase: null,
        toPhase: 'starting',
        reason: 'bench',
        details: null,
      },
      ...steps.map((w, i) => ({
        at: iso(start + (i * (end - start)) / steps.length),
        actor: 'admin',
        action: 'step' as const,
        fromWeight: i === 0 ? 0 : steps[i - 1]!,
        toWeight: w,
        fromPhase: 'progressing' as const,
        toPhase: 'progressing' as const,
        reason: `step ${i + 1}`,
        details: null,
      })),
      {
        at: iso(end),
        actor: 'admin',
        action: 'promote',
        fromWeight: 100,
        toWeight: 0,
        fromPhase: 'promoting',
        toPhase: 'promoted',
        reason: 'all green',
        details: null,
      },
    ],
  );
  let batch: MetricPoint[] = [];
  let count = 0;
  for (let t = start, i = 0; t <= end; t += intervalSeconds * 1000, i++) {
    batch.push(point(new Date(t), 'canary', i), point(new Date(t), 'stable', i));
    if (batch.length >= 500) {
      points.append(created.rollout.id, batch);
      count += batch.length;
      batch = [];
    }
  }
  points.append(created.rollout.id, batch);
  count += batch.length;
  database.close();
  console.log(`  seeded ${count} stored points (${hours} h, every ${intervalSeconds} s, both arms)`);
  return created.rollout.id;
}

export async function run(): Promise<void> {
  execFileSync('pnpm', ['--filter', '@aviary/web', 'build'], { cwd: root, stdio: 'ignore' });
  const js = initialJs();
  report([
    { name: 'initial JS (gzip)', value: js.gzipBytes / 1024, unit: 'KB', baseline: budgetKb },
    { name: 'initial JS (raw)', value: js.rawBytes / 1024, unit: 'KB' },
  ]);
  goal(
    js.gzipBytes / 1024 <= budgetKb,
    `initial JS within the ${budgetKb} KB budget (${js.files.join(', ')})`,
  );

  const dir = await mkdtemp(join(tmpdir(), 'aviary-bench-web-'));
  const db = join(dir, 'aviary.db');
  const id = seed(db);
  const sandbox = await startSandbox({
    dir: join(dir, 'sandbox'),
    rps: 0,
    prometheus: 'none',
    readyDelayMs: 50,
  });
  const server = await startServer(
    readEnv(
      {
        AVIARY_HOST: '127.0.0.1',
        AVIARY_PORT: '0',
        AVIARY_KUBECONFIG: sandbox.endpoints.kubeconfig,
        AVIARY_DB: db,
        AVIARY_ADMIN_TOKEN: adminToken,
        AVIARY_LOG_LEVEL: 'silent',
        AVIARY_WEB_ROOT: dist,
      },
      {},
    ),
  );
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i <= rounds; i++) {
      // A fresh context each round: no HTTP cache, as a person opening a link for the first time.
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      // Reads need a session: sign in (outside the timing) as the bootstrap admin, with the
      // cookie landing in this context's jar like the sign-in page's would.
      const login = await context.request.post(`${server.url}/api/v1/auth/login`, {
        data: { token: adminToken },
      });
      if (!login.ok()) throw new Error(`bench sign-in failed: ${login.status()} ${await login.text()}`);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${server.url}/rollouts/${id}`);
      await page.locator('[data-testid^="chart-"] .series-canary path.recharts-curve').nth(4).waitFor();
      await page.locator('[data-testid^="chart-"] .series-stable path.recharts-curve').nth(4).waitFor();
      const elapsed = performance.now() - started;
      if (i > 0) times.push(elapsed); // round 0 warms the server and the browser
      if (i === 0) {
        points = await page.evaluate(async (rid) => {
          const res = await fetch(`/api/v1/rollouts/${rid}/metrics`);
          const body = (await res.json()) as { canary: unknown[] };
          return body.canary.length;
        }, id);
      }
      await context.close();
    }
    console.log(`  the API served ${points} points per arm (downsampled from ${hours} h)`);
    report([
      { name: 'navigation → charts drawn, median', value: quantile(times, 0.5), unit: 'ms' },
      { name: 'navigation → charts drawn, max', value: Math.max(...times), unit: 'ms' },
    ]);
    console.log(`  rounds: ${times.map((t) => fmt(t, 0)).join(', ')} ms`);
  } finally {
    await browser.close();
    await server.stop();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
