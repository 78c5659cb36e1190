import type { Me } from '@aviary/contracts';
import { QueryClient } from '@tanstack/react-query';
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithClient } from '../test/render.tsx';
import { meFixture, signInAs } from '../test/session.ts';
import { AppHeader } from './AppHeader.tsx';
import { RequireCapability } from './RequireCapability.tsx';

afterEach(cleanup);

const client = (me: Me | null) =>
  signInAs(new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false } } }), me);

describe('admin-only pages', () => {
  it('tell an operator why not, instead of failing', () => {
    renderWithClient(
      <RequireCapability capability="audit">
        <p>secret page</p>
      </RequireCapability>,
      client(meFixture('operator')),
    );
    expect(screen.queryByText('secret page')).toBeNull();
    expect(screen.getByTestId('page-denied').textContent).toMatch(/Only admins can read the audit trail/);
  });

  it('open for an admin', () => {
    renderWithClient(
      <RequireCapability capability="audit">
        <p>secret page</p>
      </RequireCapability>,
      client(meFixture('admin')),
    );
    expect(screen.getByText('secret page')).toBeTruthy();
  });
});

describe('the header', () => {
  const links = () => screen.getAllByRole('link').map((a) => a.textContent);

  it('shows Audit and Settings to admins only, and who is signed in', () => {
    renderWithClient(<AppHeader stream="live" pathname="/" />, client(meFixture('viewer')));
    expect(links()).not.toContain('Audit');
    expect(screen.getByTestId('session').textContent).toContain('vic');
    cleanup();
    renderWithClient(<AppHeader stream="live" pathname="/" />, client(meFixture('admin')));
    expect(links()).toEqual(expect.arrayContaining(['Audit', 'Settings']));
  });

  it('offers an anonymous reader a way to sign in', () => {
    renderWithClient(
      <AppHeader stream="live" pathname="/" />,
      client(meFixture('viewer', { via: 'anonymous', user: null })),
    );
    expect(links()).toContain('Sign in');
  });
});
