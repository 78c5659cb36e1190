import type { GateResult } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../lib/format.ts';
import { failGate, inconclusiveGate, noDataGate, passGate } from '../../test/gate-fixtures.ts';
import { formatShare } from './gate-format.ts';
import { type MetricPresentation, metricCells, presentGate } from './gate-presentation.ts';
import { chartThresholds } from './gate-thresholds.ts';

const hard = { errorRate: 0.05, latencyMs: 250 };
const gates: [string, GateResult][] = [
  ['inconclusive', inconclusiveGate],
  ['fail', failGate],
  ['pass', passGate],
];
const kinds = ['error-rate', 'latency', 'business'] as const;
const chartKey = (m: MetricPresentation) =>
  m.kind === 'error-rate' ? 'errorRate' : m.kind === 'latency' ? 'p95' : `business:${m.name}`;

describe('one source: each check type shows the same numbers everywhere', () => {
  for (const [verdict, gate] of gates)
    for (const kind of kinds)
      it(`${kind} on a ${verdict} gate`, () => {
        const view = presentGate(gate, 1);
        const m = view.metrics.find((x) => x.kind === kind)!;
        const cells = metricCells(m);
        const api = gate.checks.find((c) => c.kind === kind)!;
        // The tile and the table both render `cells`; the gate's own sentence has the same shares.
        if (api.explanation.includes(' vs stable ')) {
          expect(api.explanation).toContain(`${cells.canary} (${cells.counts.split(' vs ')[0]})`);
          expect(api.explanation).toContain(`stable ${cells.stable} (${cells.counts.split(' vs ')[1]})`);
        }
        // The allowance: in points, signed in the metric's direction, on the chart line too.
        expect(cells.allowance).toMatch(kind === 'business' ? /^−\d/ : /^\+\d/);
        expect(cells.allowance).toMatch(/ pp$/);
        if (!m.hardLimit)
          expect(api.explanation).toContain(
            `stable ${cells.allowance.replace('+', '+ ').replace('−', '− ')}`,
          );
        const lines = chartThresholds(view, hard)[chartKey(m)] ?? [];
        if (kind === 'latency') {
          expect(m.title).toBe('slow requests (> 250 ms)');
          expect(api.explanation).toContain('slow (> 250 ms)');
          expect(lines.map((l) => l.value)).toEqual([250]);
          expect(lines[0]?.label).toBe('slow > 250 ms');
        } else {
          const allowed = lines.find((l) => l.label.startsWith('allowed'))!;
          expect(allowed.value).toBeCloseTo((m.limit ?? Number.NaN) * 100, 10);
          expect(allowed.label).toContain(cells.allowance);
        }
      });

  it('a conversion reads as a conversion: its good share, as the explanation says', () => {
    const m = presentGate(inconclusiveGate, 1).metrics.find((x) => x.kind === 'business')!;
    expect(metricCells(m)).toMatchObject({ canary: '66.7%', stable: '55.6%', counts: '2/3 vs 500/900' });
    expect(m.limit).toBeCloseTo(500 / 900 - 0.05, 12);
    expect(m.direction).toBe('higher-is-better');
  });
});

describe('the limiting check and its number, everywhere', () => {
  it('is the check that decides last, with the API’s remaining samples in the first line', () => {
    const view = presentGate(inconclusiveGate, 1);
    const slowest = [...inconclusiveGate.checks]
      .filter((c) => c.verdict === 'inconclusive' && c.secondsToSignificance !== null)
      .sort((a, b) => (b.secondsToSignificance ?? 0) - (a.secondsToSignificance ?? 0))[0]!;
    expect(view.limiting?.name).toBe(slowest.name);
    expect(view.limiting?.samplesNeeded).toBe(slowest.samplesNeeded);
    const total = (slowest.canaryCounts?.total ?? 0) + (slowest.samplesNeeded ?? 0);
    expect(view.firstLine).toContain(`(${slowest.canaryCounts?.total} of ~${formatCount(total)} samples)`);
    expect(view.firstLine).toMatch(/^Hold at 1%: nothing worse yet; checkout-conversion decides in ~4.3 h/);
  });

  it('without the slow business metric, the error rate decides: "8 of ~591 requests"', () => {
    const gate = {
      ...inconclusiveGate,
      checks: inconclusiveGate.checks.filter((c) => c.kind !== 'business'),
    };
    expect(presentGate(gate, 1).firstLine).toBe(
      'Hold at 1%: nothing worse yet; 5xx errors decides in ~36 min (8 of ~591 requests)',
    );
  });
});

describe('the first line decides', () => {
  it.each([
    ['pass', passGate, /^Take the next step: every check passed at 5% after 12,000 canary requests$/],
    ['fail', failGate, /^Roll back: 5xx errors above the hard limit — canary 8%, whatever stable does$/],
    ['no data', noDataGate, /^No canary data — hold at 5%/],
  ])('%s', (_name, gate, line) => {
    expect(presentGate(gate, 5).firstLine).toMatch(line);
  });

  it('a failure against stable names the allowance', () => {
    const checks = failGate.checks.map((c) =>
      c.kind === 'error-rate'
        ? {
            ...c,
            explanation:
              'canary 5xx 2.1% (41/1,950) vs stable 0.44% (40/9,000); worse than stable + 0.5 pp with p < 0.001 → fail',
            canary: 41 / 1950,
            canaryCounts: { bad: 41, total: 1950 },
          }
        : c,
    );
    expect(presentGate({ ...failGate, checks }, 5).firstLine).toBe(
      'Roll back: 5xx errors worse than allowed — canary 2.1% vs stable 0.44%, allowed +0.5 pp',
    );
  });

  it('"No canary data" is its own state, not "needs samples"', () => {
    expect(presentGate(noDataGate, 1).state).toBe('no-data');
    expect(presentGate(inconclusiveGate, 1).state).toBe('inconclusive');
    expect(presentGate({ ...noDataGate, checks: [] }, 1).state).toBe('not-evaluated');
  });
});

describe('what the data can still not rule out', () => {
  it('0 errors in 8 requests — still consistent with up to 31% errors', () => {
    const m = presentGate(inconclusiveGate, 1).metrics.find((x) => x.kind === 'error-rate')!;
    expect(m.stillPossible).toBe('0 errors in 8 requests — still consistent with up to 31.2% errors');
    expect(formatShare(inconclusiveGate.checks[2]?.canaryUpperBound)).toBe('31.2%');
  });

  it('a conversion says how low it may still be, and a decided check says nothing', () => {
    const view = presentGate(inconclusiveGate, 1);
    expect(view.metrics.find((x) => x.kind === 'business')?.stillPossible).toBe(
      '2 of 3 samples converted — still consistent with as low as 13.5%',
    );
    expect(presentGate(passGate, 1).metrics.every((m) => m.stillPossible === null)).toBe(true);
  });
});
