import type { Me } from '@aviary/contracts';
import { QueryClient } from '@tanstack/react-query';
import { cleanup, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { queryKeys } from '../../api/queryKeys.ts';
import {
  allowedFixture,
  approvalFixture,
  gateFixture,
  policyFixture,
  rolloutFixture,
} from '../../test/fixtures.ts';
import { renderWithClient } from '../../test/render.tsx';
import { meFixture, signInAs } from '../../test/session.ts';
import { ActionBar } from './ActionBar.tsx';
import { ApprovalPanel } from './ApprovalPanel.tsx';

afterEach(cleanup);

const renderAs = (me: Me | null, ui: ReactElement) =>
  renderWithClient(ui, signInAs(new QueryClient({ defaultOptions: { queries: { retry: false } } }), me));

const byTestId = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe('ApprovalPanel', () => {
  const panel = <ApprovalPanel approval={approvalFixture()} rollout={rolloutFixture()} />;

  it('says what was asked, by whom and why', () => {
    renderAs(meFixture('operator', { user: 'otto' }), panel);
    expect(screen.getByTestId('approval-request').textContent).toContain(
      'olga asked to promote registry.local/shop/checkout:1.1.0 to 100%',
    );
    expect(screen.getByTestId('approval-reason').textContent).toContain('numbers look good');
    expect(byTestId('approve').disabled).toBe(false);
    expect(byTestId('withdraw').disabled).toBe(true);
  });

  it('the requester cannot approve, and is told a second operator must; may withdraw', () => {
    renderAs(meFixture('operator'), panel);
    expect(byTestId('approve').disabled).toBe(true);
    expect(screen.getByTestId('why-approve').textContent).toMatch(/a second operator must approve/);
    expect(byTestId('withdraw').disabled).toBe(false);
  });

  it('a viewer can do neither', () => {
    renderAs(meFixture('viewer'), panel);
    expect(byTestId('approve').disabled).toBe(true);
    expect(byTestId('withdraw').disabled).toBe(true);
    expect(screen.getByTestId('why-approve').textContent).toMatch(/Viewers can watch/);
  });
});

describe('ActionBar under a policy', () => {
  const button = (type: string) =>
    document.querySelector<HTMLButtonElement>(`button[data-action="${type}"]`)!;

  it("shows the freeze, and promote refused with the API's reason; rollback stays", () => {
    const policy = policyFixture({
      frozen: {
        window: {
          timezone: 'UTC',
          start: { day: 'mon', time: '00:00' },
          end: { day: 'sun', time: '23:59' },
          reason: 'release freeze',
        },
        until: '2999-01-01T00:00:00.000Z',
      },
    });
    const why = 'promotion of shop/checkout is frozen until …; roll back is always allowed';
    const client = new QueryClient({
      defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
    });
    client.setQueryData(queryKeys.allowedActions('r1'), {
      rolloutId: 'r1',
      version: 3,
      actions: allowedFixture({ promote: { allowed: false, reason: why, code: 'change-frozen' } }),
    });
    renderWithClient(
      <ActionBar rollout={rolloutFixture()} gate={gateFixture()} policy={policy} />,
      signInAs(client, meFixture('operator')),
    );
    expect(screen.getByTestId('freeze-state').textContent).toMatch(
      /Change freeze until .* 00:00 UTC: release freeze/,
    );
    expect(button('promote').disabled).toBe(true);
    expect(button('promote').title).toBe(why);
    expect(button('rollback').disabled).toBe(false);
  });
});
