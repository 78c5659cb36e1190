import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFixture, gateFixture } from '../../test/fixtures.ts';
import { GatePanel } from './GatePanel.tsx';

afterEach(cleanup);

const fact = (container: HTMLElement, name: string) =>
  container.querySelector(`[data-fact="${name}"]`)?.textContent ?? null;

describe('GatePanel', () => {
  it('pass: says it is safe, shows the samples and every check, and no countdowns', () => {
    const { container } = render(<GatePanel gate={gateFixture()} />);
    expect(screen.getByText('Gate passed: safe to take the next step')).toBeTruthy();
    expect(container.querySelector('[data-gate-state]')?.getAttribute('data-gate-state')).toBe('pass');
    expect(fact(container, 'samples')).toBe('1,000');
    expect(fact(container, 'bake-left')).toBeNull();
    expect(fact(container, 'eta')).toBeNull();
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(5);
    expect(within(table).getAllByText('0.20%')).toHaveLength(2);
  });

  it('fail: names the failing check with its numbers and explanation', () => {
    const gate = gateFixture({
      verdict: 'fail',
      summary: 'fail — error-rate: canary 8.00% vs stable 0.20% → fail',
      checks: [
        checkFixture({
          verdict: 'fail',
          canary: 0.08,
          canaryCounts: { bad: 80, total: 1000 },
          pValue: 0.0001,
          explanation: 'canary 8.00% vs stable 0.20% (+0.5 pt allowed) → fail',
        }),
      ],
    });
    const { container } = render(<GatePanel gate={gate} />);
    expect(screen.getByText('Gate failed: the canary is worse than stable')).toBeTruthy();
    expect(screen.getByText('8.00%')).toBeTruthy();
    expect(screen.getByText('80/1,000 vs 40/19,000')).toBeTruthy();
    expect(screen.getByText('<0.001')).toBeTruthy();
    expect(container.querySelector('[data-check="error-rate"]')?.textContent).toContain(
      '(+0.5 pt allowed) → fail',
    );
  });

  it('inconclusive without data: says there is no canary data yet', () => {
    const gate = gateFixture({
      verdict: 'inconclusive',
      canaryRequestRate: null,
      summary: 'inconclusive — no canary requests yet',
      checks: [
        checkFixture({
          name: 'sample-size',
          kind: 'sample-size',
          verdict: 'inconclusive',
          canaryCounts: null,
          samplesNeeded: 200,
          explanation: 'no canary requests counted yet; need 200 → inconclusive',
        }),
        checkFixture({
          verdict: 'inconclusive',
          canary: null,
          stable: null,
          canaryCounts: null,
          stableCounts: null,
          explanation: 'no data → inconclusive',
        }),
      ],
    });
    const { container } = render(<GatePanel gate={gate} />);
    expect(screen.getByText('Inconclusive: no canary data yet')).toBeTruthy();
    expect(fact(container, 'samples')).toBe('0');
    expect(fact(container, 'samples-needed')).toBe('200');
    expect(
      screen.getByText('no canary requests counted yet; need 200 → inconclusive', { exact: false }),
    ).toBeTruthy();
  });

  it('inconclusive needing samples: shows samples so far, still needed, and time to significance', () => {
    const gate = gateFixture({
      verdict: 'inconclusive',
      summary: 'inconclusive — 150 more canary requests (~1m 15s at 2 req/s)',
      checks: [
        checkFixture({
          name: 'sample-size',
          kind: 'sample-size',
          verdict: 'inconclusive',
          canaryCounts: null,
          samplesNeeded: 150,
          secondsToSignificance: 75,
        }),
        checkFixture({
          verdict: 'inconclusive',
          canaryCounts: { bad: 0, total: 50 },
          samplesNeeded: 400,
          secondsToSignificance: 200,
        }),
      ],
    });
    const { container } = render(<GatePanel gate={gate} />);
    expect(screen.getByText('Inconclusive: needs more samples')).toBeTruthy();
    expect(fact(container, 'samples')).toBe('50');
    expect(fact(container, 'samples-needed')).toBe('150');
    expect(fact(container, 'eta')).toBe('~3m 20s');
    expect(screen.getByText('400 (~3m 20s)')).toBeTruthy();
  });

  it('bake time left: shows the countdown while every metric already passes', () => {
    const gate = gateFixture({
      verdict: 'inconclusive',
      bakeSecondsRemaining: 42,
      summary: 'inconclusive — 42s of bake time left',
      checks: [
        checkFixture({
          name: 'bake-time',
          kind: 'bake-time',
          verdict: 'inconclusive',
          canaryCounts: null,
          secondsToSignificance: 42,
          explanation: 'baked 18s of 1m; 42s left → inconclusive',
        }),
        checkFixture(),
      ],
    });
    const { container } = render(<GatePanel gate={gate} />);
    expect(screen.getByText('Inconclusive: baking')).toBeTruthy();
    expect(fact(container, 'bake-left')).toBe('42s');
    expect(screen.getByText('inconclusive — 42s of bake time left')).toBeTruthy();
  });
});
