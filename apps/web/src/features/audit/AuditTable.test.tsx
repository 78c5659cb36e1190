import type { AuditRecord } from '@aviary/contracts';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditTable } from './AuditTable.tsx';

afterEach(cleanup);

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  id: 1,
  at: '2025-03-01T10:00:00.000Z',
  actor: 'olga',
  role: 'operator',
  sourceAddress: '127.0.0.1',
  action: 'rollout-action',
  subject: 'rollout/6f1c0c1e-9a55-4d0e-8a9e-0c7a1d2b3c4d',
  before: null,
  after: null,
  reason: null,
  ...over,
});

describe('AuditTable', () => {
  it('names a rollout by its target, keeping the id in the link title', () => {
    const targets = new Map([['6f1c0c1e-9a55-4d0e-8a9e-0c7a1d2b3c4d', 'shop/checkout']]);
    render(<AuditTable records={[record()]} targets={targets} />);
    const link = screen.getByRole('link', { name: 'rollout of shop/checkout' });
    expect(link.getAttribute('title')).toBe('rollout/6f1c0c1e-9a55-4d0e-8a9e-0c7a1d2b3c4d');
  });

  it('falls back to the subject until the target is known, and leaves other subjects as they are', () => {
    render(
      <AuditTable records={[record(), record({ id: 2, subject: 'user/olga', action: 'user-created' })]} />,
    );
    expect(screen.getByRole('link', { name: 'rollout/6f1c0c1e-9a55-4d0e-8a9e-0c7a1d2b3c4d' })).toBeTruthy();
    expect(screen.getByText('user/olga')).toBeTruthy();
  });
});
