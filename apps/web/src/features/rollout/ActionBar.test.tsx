import type { Me } from '@aviary/contracts';
import { QueryClient } from '@tanstack/react-query';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AllowedAction } from '@aviary/contracts';
import { queryKeys } from '../../api/queryKeys.ts';
import {
  allowedFixture,
  allowedForVerdict,
  checkFixture,
  gateFixture,
  rolloutFixture,
} from '../../test/fixtures.ts';
import { renderWithClient } from '../../test/render.tsx';
import { meFixture, signInAs } from '../../test/session.ts';
import { ActionBar } from './ActionBar.tsx';

afterEach(cleanup);

/** Renders as `me`, with the API's allowed-actions answer for rollout r1 already loaded. */
const renderAs = (me: Me | null, ui: ReactElement, actions: AllowedAction[] = allowedForVerdict('pass')) => {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  client.setQueryData(queryKeys.allowedActions('r1'), { rolloutId: 'r1', version: 3, actions });
  return renderWithClient(ui, signInAs(client, me));
};
const refusedAll = (reason: string) =>
  allowedFixture(
    Object.fromEntries(
      (['step', 'set-weight', 'pause', 'resume', 'promote', 'rollback'] as const).map((t) => [
        t,
        { allowed: false, reason, code: 'forbidden' },
      ]),
    ),
  );

const button = (type: string) => document.querySelector<HTMLButtonElement>(`button[data-action="${type}"]`)!;

const types = ['step', 'set-weight', 'pause', 'promote', 'rollback'];

describe('ActionBar for a viewer', () => {
  it("disables every button with the API's reason, visibly and in the title", () => {
    const why = 'this needs the operator role and vic has viewer; ask an admin for operator access';
    renderAs(
      meFixture('viewer'),
      <ActionBar rollout={rolloutFixture()} gate={gateFixture()} />,
      refusedAll(why),
    );
    for (const type of types) {
      expect(button(type).disabled).toBe(true);
      expect(button(type).title).toBe(why);
    }
    expect(screen.getByTestId('actions-why').textContent).toBe(why);
  });
});

describe('the primary action follows the verdict', () => {
  it.each([
    ['pass', 'step'],
    ['fail', 'rollback'],
    ['inconclusive', null],
  ] as const)('%s: %s is drawn primary, nothing else', (verdict, type) => {
    renderAs(
      meFixture('operator'),
      <ActionBar rollout={rolloutFixture()} gate={gateFixture({ verdict })} />,
      allowedForVerdict(verdict),
    );
    const primary = [...document.querySelectorAll('.action-buttons button.primary')].map((b) =>
      b.getAttribute('data-action'),
    );
    expect(primary).toEqual(type ? [type] : []);
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
    renderAs(
      meFixture('operator'),
      <ActionBar rollout={rolloutFixture()} gate={gate} />,
      allowedForVerdict('inconclusive'),
    );
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

  it('says why a paused rollout cannot step, in the words of the API', () => {
    const why = 'rollout r1 is paused; resume it before you step it';
    renderAs(
      meFixture('operator'),
      <ActionBar rollout={rolloutFixture({ phase: 'paused' })} gate={gateFixture()} />,
      allowedFixture({
        step: { allowed: false, reason: why, code: 'rollout-paused' },
        pause: { allowed: false, reason: 'already paused', code: 'rollout-paused' },
        resume: { allowed: true, reason: null, code: null },
      }),
    );
    expect(button('step').disabled).toBe(true);
    expect(button('step').title).toBe(why);
    expect(button('resume').disabled).toBe(false);
  });
});
