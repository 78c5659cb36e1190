import { describe, expect, it } from 'vitest';
import { type Capability, type Viewer, can, denial } from './permissions.ts';

const as = (role: 'viewer' | 'operator' | 'admin'): Viewer => ({ role, via: 'session', user: role });
const anonymous: Viewer = { role: 'viewer', via: 'anonymous', user: null };
const all: Capability[] = ['act', 'start', 'edit-profile', 'audit', 'settings', 'users'];

describe('role → allowed capabilities', () => {
  it.each([
    ['viewer', []],
    ['operator', ['act', 'start']],
    ['admin', all],
  ] as const)('%s may %j', (role, allowed) => {
    expect(all.filter((c) => can(as(role), c))).toEqual(allowed);
  });

  it('nobody signed in, or an anonymous reader, may do nothing and is told to sign in', () => {
    for (const viewer of [null, anonymous]) {
      for (const c of all) expect(can(viewer, c)).toBe(false);
      expect(denial(viewer, 'act')).toBe('Read-only: sign in as an operator to move traffic');
    }
  });

  it('tells a viewer to ask an operator', () => {
    expect(denial(as('viewer'), 'act')).toMatch(/^Viewers can watch, not act; ask an operator/);
    expect(denial(as('viewer'), 'start')).toMatch(/ask an operator/);
  });

  it('tells an operator that admin pages are for admins', () => {
    expect(denial(as('operator'), 'audit')).toBe(
      'Only admins can read the audit trail; you are an operator. Ask an admin',
    );
  });

  it('the bootstrap token is an admin', () => {
    expect(can({ role: 'admin', via: 'bootstrap-token', user: 'admin' }, 'settings')).toBe(true);
  });
});
