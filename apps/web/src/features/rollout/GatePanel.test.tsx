import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { failGate, inconclusiveGate, noDataGate, passGate } from '../../test/gate-fixtures.ts';
import { GatePanel } from './GatePanel.tsx';

afterEach(cleanup);

const firstLine = () => screen.getByTestId('gate-first-line').textContent;
const tile = (container: HTMLElement, name: string, cell: string) =>
  container.querySelector(`[data-tile="${name}"] [data-cell="${cell}"]`)?.textContent ?? null;

describe('GatePanel', () => {
  it('inconclusive: opens with the limiting check and its samples; the facts repeat the same numbers', () => {
    const { container } = render(<GatePanel gate={inconclusiveGate} weight={1} />);
    expect(firstLine()).toMatch(
      /^Hold at 1%: nothing worse yet; checkout-conversion decides in ~4.3 h \(3 of ~81 samples\)$/,
    );
    expect(container.querySelector('[data-fact="limiting"]')?.textContent).toBe('checkout-conversion');
    expect(container.querySelector('[data-fact="samples-needed"]')?.textContent).toBe('~78');
    expect(container.querySelector('[data-gate-state]')?.getAttribute('data-gate-state')).toBe(
      'inconclusive',
    );
  });

  it('shows each metric once, in its natural direction, the same in its tile and its table row', () => {
    const { container } = render(<GatePanel gate={inconclusiveGate} weight={1} />);
    expect(tile(container, 'checkout-conversion', 'canary')).toBe('canary 66.7%');
    expect(tile(container, 'checkout-conversion', 'allowance')).toBe('−5 pp');
    expect(tile(container, 'error-rate', 'still-possible')).toBe(
      '0 errors in 8 requests — still consistent with up to 31.2% errors',
    );
    const row = within(screen.getByRole('table'))
      .getAllByRole('row')
      .find((r) => r.textContent?.includes('checkout-conversion'));
    expect(row?.textContent).toContain('66.7%');
    expect(row?.textContent).toContain('−5 pp');
    expect(screen.getAllByText(/slow requests \(> 250 ms\)/).length).toBeGreaterThan(0);
  });

  it('fail: the first line says roll back and why', () => {
    render(<GatePanel gate={failGate} weight={10} />);
    expect(firstLine()).toMatch(/^Roll back: 5xx errors above the hard limit/);
  });

  it('pass: the first line says take the next step, with no countdown', () => {
    const { container } = render(<GatePanel gate={passGate} weight={5} />);
    expect(firstLine()).toBe('Take the next step: every check passed at 5% after 12,000 canary requests');
    expect(container.querySelector('[data-fact="eta"]')).toBeNull();
  });

  it('no canary data is its own state, not "needs samples"', () => {
    const { container } = render(<GatePanel gate={noDataGate} weight={1} />);
    expect(container.querySelector('[data-gate-state]')?.getAttribute('data-gate-state')).toBe('no-data');
    expect(firstLine()).toMatch(/^No canary data/);
  });
});
