import type { Me } from '@aviary/contracts';
import { QueryClient } from '@tanstack/react-query';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFixture, gateFixture, rolloutFixture } from '../../test/fixtures.ts';
import { renderWithClient } from '../../test/render.tsx';
import { meFixture, signInAs } from '../../test/session.ts';
import { ActionBar } from './ActionBar.tsx';

afterEach(cleanup);

const renderAs = (me: Me | null, ui: ReactElement) =>
  renderWithClient(ui, signInAs(new QueryClient({ defaultOptions: { queries: { retry: false } } }), me));

const button = (type: string) => document.querySelector<HTMLButtonElement>(`button[data-action="${type}"]`)!;

const types = ['step', 'set-weight', 'pause', 'promote', 'rollback'];

describe('ActionBar for a viewer', () => {
  it('disables every button and says why, visibly and in the title', () => {
    renderAs(meFixture('viewer'), <ActionBar rollout={rolloutFixture()} gate={gateFixture()} />);
    for (const type of types) {
      expect(button(type).disabled).toBe(true);
      expect(button(type).title).toMatch(/viewers can watch, not act; ask an operator/i);
    }
    expect(screen.getByTestId('actions-why').textContent).toMatch(/^Viewers can watch, not act/);
  });

  it('tells someone not signed in to sign in', () => {
    renderAs(null, <ActionBar rollout={rolloutFixture()} gate={gateFixture()} />);
    for (const type of types) expect(button(type).disabled).toBe(true);
    expect(screen.getByTestId('actions-why').textContent).toMatch(/sign in as an operator/);
  });
});

describe('ActionBar for an operator', () => {
  it('asks for an override with a reason, listing the checks that have not passed', () => {
    const gate = gateFixture({
      verdict: 'inconclusive',
      checks: [
        checkFixture({
          name: 'sample-size',
          kind: 'sample-size',
          verdict: 'inconclusive',
          explanation: 'need 150 more canary requests',
        }),
        checkFixture({ name: 'latency', kind: 'latency', verdict: 'pass' }),
      ],
    });
    renderAs(meFixture('operator'), <ActionBar rollout={rolloutFixture()} gate={gate} />);
    expect(button('step').textContent).toBe('Next step → 25% (override)…');
    fireEvent.click(button('step'));
    const warning = screen.getByTestId('override-warning');
    expect(warning.textContent).toContain('overriding a gate that is inconclusive');
    expect(warning.textContent).toContain('sample-size (inconclusive): need 150 more canary requests');
    expect(warning.textContent).not.toContain('latency');
    const confirm = screen.getByRole('button', { name: /override and next step/i }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/reason/i), { target: { value: 'traffic is low tonight' } });
    expect(confirm.disabled).toBe(false);
  });

  it('a rollback needs a reason', () => {
    renderAs(meFixture('operator'), <ActionBar rollout={rolloutFixture()} gate={gateFixture()} />);
    fireEvent.click(button('rollback'));
    expect(screen.getByText(/Sends all traffic back to registry.local\/shop\/checkout:1.0.0/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /confirm: roll back/i }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it('says why a paused rollout cannot step', () => {
    renderAs(
      meFixture('operator'),
      <ActionBar rollout={rolloutFixture({ phase: 'paused' })} gate={gateFixture()} />,
    );
    expect(button('step').disabled).toBe(true);
    expect(button('step').title).toBe('Paused: resume first');
    expect(button('resume').disabled).toBe(false);
  });
});
