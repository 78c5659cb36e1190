// Gate quality by simulation with known truth (the mixture SPRT's
// targets): a step watched every second for an hour, counts drawn per second from seeded
// binomials. A run ends at the first `fail`, as a rollback would end it.
//
// Each second is judged with the gate's own decision functions (judgeShare, ceilingBreached: what
// evaluateGate runs, without the prose); the real evaluateGate is called at every verdict change
// and every minute, and the bench throws if the two ever disagree. "Today's SPRT" is the Wald test
// the mixture replaced (H0/H1 at stable's upper bound + tolerance / + 2·tolerance), run on the
// same draws in the same run, as the baseline for time to fail.
import {
  DEFAULT_ALPHA,
  DEFAULT_BETA,
  type GateInput,
  bernoulliLlr,
  ceilingBreached,
  evaluateGate,
  hypotheses,
  judgeShare,
  normalCdf,
  sprtBounds,
  wilsonInterval,
} from '@aviary/core';
import { binomial, seededRandom } from './lib/random.ts';
import { fmt, quantile } from './lib/stats.ts';
import { goal } from './lib/goals.ts';

const runs = Number(process.env.BENCH_GATE_RUNS ?? 1000);
const TICK_S = 1;
const HORIZON_S = 3600;
/** The README's example: stable answers 0.4% of requests with a 5xx. */
const STABLE_ERRORS = 0.004;
/** Share of requests above stable's p95 bucket bound: 5% by construction, the same for both arms. */
const SLOW = 0.05;
/** MetricProfile's defaults (packages/contracts/src/gates.ts), spelled out. */
const defaults: GateInput['profile'] = {
  minBakeSeconds: 60,
  minSamples: 200,
  errorRate: { tolerance: 0.005, max: 0.05 },
  latency: { quantile: 0.95, tolerance: 0.05 },
  business: [],
  autoRollback: true,
};
const TOLERANCE = defaults.errorRate.tolerance;
const BOUNDS = sprtBounds(DEFAULT_ALPHA, DEFAULT_BETA);
const VILLE = Math.exp(-BOUNDS.fail);
/** Before the mixture, a healthy canary at 5 req/s reached `pass` after a median 3.0 min. */
const TODAY_PASS_MINUTES = 3.0;
const ONE_SE = 2 * normalCdf(1) - 1;

interface Scenario {
  canaryRps: number;
  /** Stable's traffic; 9× the canary's unless said otherwise (canary at 10%). */
  stableRps?: number;
  canaryErrors: number;
  stableErrors?: number;
  /** Drop stable's series, as when Prometheus has no data for it. */
  stableMissing?: boolean;
  /** A higher-is-better conversion per request, the same for both arms. */
  conversion?: { share: number; tolerance: number };
  /** Also run today's SPRT on the same draws. */
  today?: boolean;
}

interface Outcome {
  failAt: number | null;
  firstPassAt: number | null;
  todayFailAt: number | null;
}

type Counts = { bad: number; total: number };
const arm = (): Counts => ({ bad: 0, total: 0 });

/** The gate's verdict from its decision functions, in evaluateGate's order. */
function fastVerdict(input: GateInput, elapsed: number): 'pass' | 'fail' | 'inconclusive' {
  const { profile } = input;
  const canary = input.errors.canary;
  let allPass = elapsed >= profile.minBakeSeconds && (canary?.total ?? 0) >= profile.minSamples;
  if (canary && canary.total >= Math.ceil(profile.minSamples / 10)) {
    const settings = { unavailable: null, alpha: DEFAULT_ALPHA, beta: DEFAULT_BETA };
    if (ceilingBreached(canary, profile.errorRate.max, settings)) return 'fail';
  }
  const pairs: [Counts | null, Counts | null, number][] = [
    [canary, input.errors.stable, profile.errorRate.tolerance],
    [input.latency.canary, input.latency.stable, profile.latency.tolerance],
    ...input.business.map((b, i): [Counts | null, Counts | null, number] => {
      const bad = (r: { numerator: number; denominator: number } | null) =>
        r && r.denominator > 0 ? { bad: r.denominator - r.numerator, total: r.denominator } : null;
      return [bad(b.canary), bad(b.stable), profile.business[i]?.tolerance ?? 0];
    }),
  ];
  for (const [c, s, tol] of pairs) {
    if (!c || c.total === 0 || !s || s.total === 0) {
      allPass = false;
      continue;
    }
    const v = judgeShare(c, s, tol, DEFAULT_ALPHA, DEFAULT_BETA, false).verdict;
    if (v === 'fail') return 'fail';
    if (v !== 'pass') allPass = false;
  }
  return allPass ? 'pass' : 'inconclusive';
}

/** The fail side of the Wald SPRT the gate used before the mixture. */
function todayFails(canary: Counts, stable: Counts): boolean {
  const { p0, p1 } = hypotheses(wilsonInterval(stable.bad, stable.total, ONE_SE).upper, TOLERANCE);
  return bernoulliLlr(canary.bad, canary.total, p0, p1) >= BOUNDS.fail;
}

function simulate(s: Scenario, seed: number): Outcome {
  const random = seededRandom(seed);
  const canaryPerTick = Math.round(s.canaryRps * TICK_S);
  const stablePerTick = Math.round((s.stableRps ?? 9 * s.canaryRps) * TICK_S);
  const stableErrors = s.stableErrors ?? STABLE_ERRORS;
  const profile: GateInput['profile'] = s.conversion
    ? {
        ...defaults,
        business: [
          {
            name: 'checkout-conversion',
            numerator: 'completed{workload="{{workload}}"}',
            denominator: 'started{workload="{{workload}}"}',
            direction: 'higher-is-better',
            tolerance: s.conversion.tolerance,
          },
        ],
      }
    : defaults;
  const errors = { canary: arm(), stable: arm() };
  const slow = { canary: arm(), stable: arm() };
  const converted = { canary: 0, stable: 0 };
  const out: Outcome = { failAt: null, firstPassAt: null, todayFailAt: null };
  let last = 'inconclusive';
  for (let t = TICK_S; t <= HORIZON_S; t += TICK_S) {
    errors.canary.bad += binomial(random, canaryPerTick, s.canaryErrors);
    errors.stable.bad += binomial(random, stablePerTick, stableErrors);
    slow.canary.bad += binomial(random, canaryPerTick, SLOW);
    slow.stable.bad += binomial(random, stablePerTick, SLOW);
    errors.canary.total = slow.canary.total = (t / TICK_S) * canaryPerTick;
    errors.stable.total = slow.stable.total = (t / TICK_S) * stablePerTick;
    if (s.conversion) {
      converted.canary += binomial(random, canaryPerTick, s.conversion.share);
      converted.stable += binomial(random, stablePerTick, s.conversion.share);
    }
    const input: GateInput = {
      profile,
      now: new Date(t * 1000),
      stepStartedAt: new Date(0),
      canaryRequestRate: s.canaryRps,
      errors: { canary: { ...errors.canary }, stable: s.stableMissing ? null : { ...errors.stable } },
      latency: {
        canary: { ...slow.canary },
        stable: s.stableMissing ? null : { ...slow.stable },
        thresholdMs: 250,
      },
      business: s.conversion
        ? [
            {
              name: 'checkout-conversion',
              canary: { numerator: converted.canary, denominator: errors.canary.total },
              stable: { numerator: converted.stable, denominator: errors.stable.total },
            },
          ]
        : [],
    };
    if (s.today && out.todayFailAt === null && todayFails(errors.canary, errors.stable)) out.todayFailAt = t;
    const verdict = out.failAt === null ? fastVerdict(input, t) : 'fail';
    if (out.failAt === null && (verdict !== last || t % 60 === 0)) {
      const real = evaluateGate(input).verdict;
      if (real !== verdict)
        throw new Error(`seed ${seed} at ${t} s: evaluateGate says ${real}, the bench ${verdict}`);
    }
    last = verdict;
    if (verdict === 'pass') out.firstPassAt ??= t;
    if (verdict === 'fail') out.failAt ??= t;
    if (out.failAt !== null && (!s.today || out.todayFailAt !== null)) break;
  }
  return out;
}

let seedBase = 0;
function many(s: Scenario, n = runs): Outcome[] {
  seedBase += 10_000_000;
  return Array.from({ length: n }, (_, i) => simulate(s, seedBase + i));
}

const pct = (x: number) => `${fmt(x * 100, 2)}%`;
const rateOf = (k: number, n: number) =>
  `${pct(k / n)} (${k}/${n}; 95% CI ≤ ${pct(wilsonInterval(k, n).upper)})`;
const failed = (os: Outcome[]) => os.filter((o) => o.failAt !== null).length;
const times = (os: Outcome[], key: keyof Outcome) =>
  os.flatMap((o) => (o[key] === null ? [] : [o[key] as number]));

interface Row {
  check: string;
  target: string;
  measured: string;
  ok: boolean;
}

export async function run(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  const notes: string[] = [];

  for (const canaryRps of [1, 5]) {
    const healthy = many({ canaryRps, canaryErrors: STABLE_ERRORS });
    const k = failed(healthy);
    const check = `(a) healthy canary, ${canaryRps} req/s, checked every second for 1 h: false fail`;
    rows.push({ check, target: '≤ 1%', measured: rateOf(k, healthy.length), ok: k / healthy.length <= 0.01 });
    const passTimes = times(healthy, 'firstPassAt');
    const median = quantile(passTimes, 0.5) / 60;
    const share = `reached in ${pct(passTimes.length / healthy.length)} of runs`;
    if (canaryRps === 5) {
      rows.push({
        check: '(a) healthy canary, 5 req/s: median time to pass',
        target: `≤ ${fmt(TODAY_PASS_MINUTES, 1)} min (before the mixture)`,
        measured: `${fmt(median, 1)} min (${share})`,
        ok: median <= TODAY_PASS_MINUTES && passTimes.length >= healthy.length / 2,
      });
    } else {
      notes.push(`healthy canary, 1 req/s: pass ${share}, median after ${fmt(median, 1)} min`);
    }
  }

  for (const canaryRps of [1, 5]) {
    const bad = many({ canaryRps, canaryErrors: 10 * STABLE_ERRORS, today: true });
    const failTimes = times(bad, 'failAt');
    rows.push({
      check: `(b) canary at 10× stable's errors, ${canaryRps} req/s: detected within 1 h`,
      target: '≥ 99%',
      measured: `${pct(failTimes.length / bad.length)} (${failTimes.length}/${bad.length})`,
      ok: failTimes.length / bad.length >= 0.99,
    });
    const samples = quantile(failTimes, 0.5) * canaryRps;
    const today = quantile(times(bad, 'todayFailAt'), 0.5) * canaryRps;
    const measured =
      `median ${fmt(samples, 0)} samples (${fmt(samples / canaryRps, 0)} s) vs today's SPRT ${fmt(today, 0)} ` +
      `(${fmt(today / canaryRps, 0)} s) = ${fmt(samples / today)}×; p90 ${fmt(quantile(failTimes, 0.9), 0)} s`;
    rows.push({
      check: `(b) canary at 10× stable's errors, ${canaryRps} req/s: samples to fail`,
      target: canaryRps === 5 ? "≤ 0.5× today's SPRT" : "≤ today's SPRT",
      measured,
      ok: samples / today <= (canaryRps === 5 ? 0.5 : 1),
    });
  }

  // Canary at 2× stable's errors where that is a real breach: stable 1%, canary 2% (+1 pp, twice
  // the tolerance, the alternative today's SPRT was built for). The mixture's smallest alternative
  // keeps such modest failures detectable.
  const twice = many({ canaryRps: 5, canaryErrors: 0.02, stableErrors: 0.01 });
  rows.push({
    check: "(e) canary at 2× stable's errors (2% vs 1%), 5 req/s: detected within 1 h",
    target: '≥ 95%',
    measured: `${rateOf(failed(twice), twice.length)}, median ${fmt(quantile(times(twice, 'failAt'), 0.5) / 60, 1)} min`,
    ok: failed(twice) / twice.length >= 0.95,
  });

  // At the edge of H0 false fails are by design; Ville's inequality bounds them by α/(1−β).
  const edge = many({ canaryRps: 5, canaryErrors: STABLE_ERRORS + TOLERANCE });
  rows.push({
    check: '(f) canary exactly at stable + tolerance, 5 req/s: fail',
    target: `≤ ${pct(VILLE)} (Ville)`,
    measured: rateOf(failed(edge), edge.length),
    ok: failed(edge) / edge.length <= VILLE,
  });
  // The hard ceiling alone (no stable data, so no comparison): a canary exactly at 5%.
  const ceiling = many({ canaryRps: 5, canaryErrors: defaults.errorRate.max, stableMissing: true });
  rows.push({
    check: '(f) canary exactly at the 5% hard ceiling, 5 req/s: fail',
    target: `≤ ${pct(VILLE)} (Ville)`,
    measured: rateOf(failed(ceiling), ceiling.length),
    ok: failed(ceiling) / ceiling.length <= VILLE,
  });

  // Stable smaller than the canary (a 75% step) and a business metric whose share is far from 0:
  // stable's noise rivals the tolerance here, which is why the fail side's H0 is widened by it.
  const step75 = many({
    canaryRps: 3,
    stableRps: 1,
    canaryErrors: STABLE_ERRORS,
    conversion: { share: 0.4, tolerance: 0.01 },
  });
  rows.push({
    check: '(c) healthy, canary 75%, conversion 40% ± 1 pp: false fail',
    target: '≤ 1%',
    measured: rateOf(failed(step75), step75.length),
    ok: failed(step75) / step75.length <= 0.01,
  });

  const noStable = many({ canaryRps: 5, canaryErrors: STABLE_ERRORS, stableMissing: true }, 100);
  const passed = noStable.filter((o) => o.firstPassAt !== null).length;
  rows.push({
    check: '(d) no stable data: ever pass',
    target: 'never',
    measured: `${passed}/${noStable.length} runs`,
    ok: passed === 0,
  });

  console.log(
    `  ${runs} runs per scenario; checked every ${TICK_S} s for ${HORIZON_S / 60} min; canary 10% of traffic unless said; ` +
      `stable 5xx ${pct(STABLE_ERRORS)} unless said, tolerance ${pct(TOLERANCE)}; α ${DEFAULT_ALPHA}, β ${DEFAULT_BETA}`,
  );
  const w = Math.max(...rows.map((r) => r.check.length));
  const tw = Math.max(...rows.map((r) => r.target.length));
  console.log(`  ${'check'.padEnd(w)}  ${'target'.padEnd(tw)}  measured`);
  for (const r of rows) goal(r.ok, `${r.check.padEnd(w)}  ${r.target.padEnd(tw)}  ${r.measured}`);
  for (const n of notes) console.log(`  note: ${n}`);
  console.log(`  simulated in ${fmt((performance.now() - started) / 1000, 1)} s`);
  const missed = rows.filter((r) => !r.ok).length;
  if (missed > 0) {
    console.log(`  ${missed} target(s) missed`);
    process.exitCode = 1;
  }
}
