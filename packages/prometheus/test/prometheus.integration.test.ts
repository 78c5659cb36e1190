import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../src/client.ts';
import { PrometheusError } from '../src/errors.ts';
import { byLabel } from '../src/parse.ts';
import { istioQueries } from '../src/queries/istio.ts';
import { type SampleSpec, sampleRollout } from '../src/sample.ts';
import { renderTemplate } from '../src/template.ts';
import { validateQuery } from '../src/validate.ts';
import { type Exporter, type Traffic, startExporter } from './exporter.ts';
import { type RunningPrometheus, startPrometheus } from './prometheus-process.ts';

/** When the `late` canary's series appear, in seconds after the exporter starts. */
const LATE_S = 3;

// Stable answers 2,000 req/s with 1% 5xx; the canary 500 req/s with 10% 5xx and slower responses.
// High rates keep the exporter's whole-number rounding far below the tolerances asserted.
const fast = { 10: 0.5, 25: 0.8, 50: 0.9, 100: 0.96, 250: 0.99, 500: 1 };
const slow = { 10: 0.3, 25: 0.5, 50: 0.7, 100: 0.8, 250: 0.95, 500: 1 };
const traffic: Traffic[] = [
  {
    namespace: 'shop',
    workload: 'web',
    perSecond: { '200': 1980, '500': 20 },
    latency: fast,
    checkouts: { started: 200, completed: 100 },
  },
  {
    namespace: 'shop',
    workload: 'web-canary',
    perSecond: { '200': 450, '503': 50 },
    latency: slow,
    checkouts: { started: 100, completed: 30 },
  },
  // Decoys that must never be counted: a longer workload name, another namespace, the source reporter.
  { namespace: 'shop', workload: 'web-canary-2', perSecond: { '500': 10000 }, latency: slow },
  { namespace: 'staging', workload: 'web', perSecond: { '500': 10000 }, latency: slow },
  { namespace: 'shop', workload: 'web', reporter: 'source', perSecond: { '503': 10000 }, latency: slow },
  // A canary that never failed: no 5xx series exists for it.
  { namespace: 'clean', workload: 'api', perSecond: { '200': 990, '500': 10 }, latency: fast },
  { namespace: 'clean', workload: 'api-canary', perSecond: { '200': 200 }, latency: fast },
  // A canary whose series appear only with its first requests, LATE_S after the start.
  { namespace: 'late', workload: 'api', perSecond: { '200': 1000 }, latency: fast },
  {
    namespace: 'late',
    workload: 'api-canary',
    perSecond: { '200': 190, '500': 10 },
    latency: fast,
    from: LATE_S,
  },
  // Series that exist but never move: rates are 0, shares and quantiles 0/0 = NaN.
  { namespace: 'idle', workload: 'batch', perSecond: { '200': 0 }, latency: fast },
  { namespace: 'idle', workload: 'batch-canary', perSecond: { '200': 0 }, latency: fast },
];

const GATE_S = 6;
const CHART_S = 4;
const conversion = {
  name: 'checkout-conversion',
  numerator:
    'sum(increase(shop_checkouts_completed_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))',
  denominator:
    'sum(increase(shop_checkouts_started_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))',
};

let exporter: Exporter;
let prometheus: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  exporter = await startExporter(traffic);
  prometheus = await startPrometheus([exporter.address]);
  client = new PrometheusClient({ url: prometheus.url });
  // Enough 1 s scrapes that the gate window lies wholly inside stored data.
  while (exporter.scrapes() < GATE_S + 2) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
});

afterAll(async () => {
  await prometheus?.dispose();
  await exporter?.close();
});

function specFor(namespace: string, stable: string, canary: string): SampleSpec {
  const now = new Date();
  return {
    provider: 'istio',
    namespace,
    stableWorkload: stable,
    canaryWorkload: canary,
    stepStartedAt: new Date(now.getTime() - GATE_S * 1000),
    now,
    chartWindowSeconds: CHART_S,
    latencyQuantile: 0.95,
    business: namespace === 'shop' ? [conversion] : [],
  };
}

const within = (actual: number | null | undefined, expected: number, relative: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(expected * relative);
};

describe('sampleRollout against a real Prometheus', () => {
  it('counts requests, 5xx, slow requests and conversions per arm since the step started', async () => {
    const sample = await sampleRollout(client, specFor('shop', 'web', 'web-canary'));
    expect(sample.unavailable).toBeUndefined();

    const { canary, stable } = sample.errors;
    // Growth between the scrapes around the step's start and now: the window ± one 1 s scrape.
    within(stable?.total, 2000 * GATE_S, 1.2 / GATE_S);
    within(canary?.total, 500 * GATE_S, 1.2 / GATE_S);
    expect(stable!.bad / stable!.total).toBeCloseTo(0.01, 2);
    expect(canary!.bad / canary!.total).toBeCloseTo(0.1, 2);

    // Stable p95 ≈ 91.7 ms → 100 ms bound; 4% of stable and 20% of canary requests are above it.
    expect(sample.latency.thresholdMs).toBe(100);
    expect(sample.latency.stable!.bad / sample.latency.stable!.total).toBeCloseTo(0.04, 2);
    expect(sample.latency.canary!.bad / sample.latency.canary!.total).toBeCloseTo(0.2, 2);
    expect(sample.latency.stable!.total).toBe(stable!.total);

    const [biz] = sample.business;
    within(biz?.stable?.denominator, 200 * GATE_S, 0.1);
    expect(biz!.stable!.numerator / biz!.stable!.denominator).toBeCloseTo(0.5, 2);
    expect(biz!.canary!.numerator / biz!.canary!.denominator).toBeCloseTo(0.3, 2);
  });

  it('counts a series born since the step began from zero, not from its first scrape', async () => {
    // A moment ago, so no scrape at or before `now` can still land between the two queries.
    const now = new Date(Date.now() - 1500);
    const stepStartedAt = new Date(exporter.startedAt + (LATE_S - 1) * 1000);
    const spec = { ...specFor('late', 'api', 'api-canary'), stepStartedAt, now };
    const sample = await sampleRollout(client, spec);
    // Born after the step began, so all of the canary's counter is this step's: exactly its value
    // now. increase() would start from its first scrape and extrapolate instead.
    const whole = await client.query(
      'sum by (destination_workload) (istio_requests_total{destination_workload_namespace="late"})',
      now,
    );
    const value = (whole.result as { metric: Record<string, string>; value: number }[]).find(
      (v) => v.metric.destination_workload === 'api-canary',
    )?.value;
    expect(value).toBeGreaterThan(0);
    expect(sample.errors.canary?.total).toBe(value);
    expect(sample.errors.canary!.bad / sample.errors.canary!.total).toBeCloseTo(0.05, 2);
  });

  it('gives chart points over the short window, with quantiles equal to histogram_quantile', async () => {
    const spec = specFor('shop', 'web', 'web-canary');
    const sample = await sampleRollout(client, spec);
    within(sample.chart.stable.requestRate, 2000, 0.1);
    within(sample.chart.canary.requestRate, 500, 0.1);
    expect(sample.canaryRequestRate).toBe(sample.chart.canary.requestRate);
    expect(sample.chart.stable.errorRate).toBeCloseTo(0.01, 2);
    expect(sample.chart.canary.errorRate).toBeCloseTo(0.1, 2);
    expect(sample.chart.stable.business['checkout-conversion']).toBeCloseTo(0.5, 2);
    expect(sample.chart.canary.business['checkout-conversion']).toBeCloseTo(0.3, 2);

    // Prometheus' own histogram_quantile over the same buckets at the same instant.
    const buckets = istioQueries.latencyBuckets({ ...spec, window: CHART_S });
    for (const [key, q] of [
      ['p50', 0.5],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      const r = await client.query(`histogram_quantile(${q}, ${buckets})`, spec.now);
      const theirs = byLabel(r.resultType === 'vector' ? r.result : [], 'destination_workload');
      expect(sample.chart.stable[key]).toBeCloseTo(theirs.get('web')!, 9);
      expect(sample.chart.canary[key]).toBeCloseTo(theirs.get('web-canary')!, 9);
    }
  });

  it('reports 0 errors (not "no data") for a canary that never answered 5xx', async () => {
    const sample = await sampleRollout(client, specFor('clean', 'api', 'api-canary'));
    expect(sample.errors.canary?.bad).toBe(0);
    within(sample.errors.canary?.total, 200 * GATE_S, 0.1);
    expect(sample.chart.canary.errorRate).toBe(0);
    expect(sample.chart.stable.errorRate).toBeCloseTo(0.01, 2);
  });

  it('turns NaN (series without traffic) and empty results (no series) into null', async () => {
    const idle = await sampleRollout(client, specFor('idle', 'batch', 'batch-canary'));
    expect(idle.unavailable).toBeUndefined();
    expect(idle.errors).toEqual({ canary: { bad: 0, total: 0 }, stable: { bad: 0, total: 0 } });
    expect(idle.latency).toEqual({ canary: null, stable: null, thresholdMs: null });
    expect(idle.chart.canary).toEqual({
      requestRate: 0,
      errorRate: null,
      p50: null,
      p95: null,
      p99: null,
      business: {},
    });

    const ghost = await sampleRollout(client, specFor('shop', 'web', 'ghost'));
    expect(ghost.errors.canary).toBeNull();
    expect(ghost.latency.canary).toBeNull();
    expect(ghost.latency.thresholdMs).toBe(100);
    expect(ghost.business[0]?.canary).toBeNull();
    expect(ghost.chart.canary).toEqual({
      requestRate: null,
      errorRate: null,
      p50: null,
      p95: null,
      p99: null,
      business: { 'checkout-conversion': null },
    });
    expect(ghost.canaryRequestRate).toBeNull();
  });
});

describe('PrometheusClient and validateQuery against a real Prometheus', () => {
  it("rejects a malformed query as bad_data with Prometheus' message", async () => {
    const err = await client.query('sum(rate(istio_requests_total[1m])').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err).toMatchObject({ kind: 'bad_data', status: 400, errorType: 'bad_data' });
    expect((err as Error).message).toContain('parse error');
  });

  it('validates templates with Prometheus itself: parse and execution errors come back as messages', async () => {
    const vars = { namespace: 'shop', workload: 'web', windowSeconds: 60 };
    expect(await validateQuery(client, conversion.numerator, vars)).toEqual({ ok: true });
    const parse = await validateQuery(client, 'sum(x{workload="{{workload}}"}', vars);
    expect(parse).toMatchObject({ ok: false, message: expect.stringContaining('parse error') });
    const manyToMany = await validateQuery(
      client,
      'istio_requests_total{destination_workload="{{workload}}"} + on(destination_workload) istio_requests_total',
      vars,
    );
    expect(manyToMany).toMatchObject({ ok: false, message: expect.stringContaining('many-to-many') });
  });

  it('keeps hostile or regex-like names inside their string literal', async () => {
    const vars = (workload: string) => ({ namespace: 'shop', workload, windowSeconds: 60 });
    const injected = renderTemplate(
      'sum(shop_checkouts_started_total{workload="{{workload}}"})',
      vars('web"} or vector(1) or x{a="'),
    );
    const r1 = await client.query(injected);
    expect(r1.resultType === 'vector' && r1.result).toEqual([]);
    // Unescaped, "w.b" would match "web".
    const dotted = renderTemplate('sum(shop_checkouts_started_total{workload=~"{{workload}}"})', vars('w.b'));
    const r2 = await client.query(dotted);
    expect(r2.resultType === 'vector' && r2.result).toEqual([]);
  });

  it('POSTs long queries, and Prometheus answers them', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `not-a-workload-${i}`).join('|');
    const r = await client.query(`sum(istio_requests_total{destination_workload=~"${names}|web-canary-2"})`);
    expect(r.resultType === 'vector' && r.result.length).toBe(1);
  });

  it('range queries return a matrix over the span', async () => {
    const end = new Date();
    const r = await client.queryRange('sum(istio_requests_total)', new Date(end.getTime() - 4_000), end, 1);
    expect(r.resultType).toBe('matrix');
    expect(r.result[0]?.values.length).toBeGreaterThanOrEqual(4);
  });

  // Last: it takes Prometheus away.
  it('with Prometheus stopped: sampling returns nulls and the reason, validation throws unreachable', async () => {
    await prometheus.stop();
    expect(await client.ready()).toBe(false);
    const sample = await sampleRollout(client, specFor('shop', 'web', 'web-canary'));
    expect(sample.unavailable).toMatch(
      /cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
    expect(sample.errors).toEqual({ canary: null, stable: null });
    expect(sample.latency).toEqual({ canary: null, stable: null, thresholdMs: null });
    expect(sample.business).toEqual([{ name: 'checkout-conversion', canary: null, stable: null }]);
    expect(sample.chart.stable.requestRate).toBeNull();
    expect(sample.canaryRequestRate).toBeNull();
    await expect(
      validateQuery(client, conversion.numerator, { namespace: 'shop', workload: 'web', windowSeconds: 60 }),
    ).rejects.toMatchObject({ kind: 'unreachable' });
  });
});
