import { type Me, type Role, atLeast } from '@aviary/contracts';

/** What the dashboard lets a person do; each needs a role (the API checks the same). */
export type Capability = 'act' | 'start' | 'edit-profile' | 'edit-policy' | 'audit' | 'settings' | 'users';

export const requiredRole: Record<Capability, Role> = {
  act: 'operator',
  start: 'operator',
  'edit-profile': 'admin',
  'edit-policy': 'admin',
  audit: 'admin',
  settings: 'admin',
  users: 'admin',
};

const doing: Record<Capability, string> = {
  act: 'move traffic',
  start: 'start a canary',
  'edit-profile': 'edit profiles',
  'edit-policy': 'edit target policies',
  audit: 'read the audit trail',
  settings: 'change settings',
  users: 'manage users',
};

/** Who is looking, as far as permissions go: null is nobody signed in. */
export type Viewer = Pick<Me, 'role' | 'via' | 'user'> | null;

/** Why this person may not do it, in words that say what to do; null when they may. */
export function denial(viewer: Viewer, capability: Capability): string | null {
  const needed = requiredRole[capability];
  if (!viewer || viewer.via === 'anonymous')
    return `Read-only: sign in as ${article(needed)} ${needed} to ${doing[capability]}`;
  if (atLeast(viewer.role, needed)) return null;
  if (viewer.role === 'viewer' && needed === 'operator')
    return 'Viewers can watch, not act; ask an operator (or an admin for the operator role)';
  return `Only ${needed}s can ${doing[capability]}; you are ${article(viewer.role)} ${viewer.role}. Ask an admin`;
}

export const can = (viewer: Viewer, capability: Capability): boolean => denial(viewer, capability) === null;

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** The roles an admin may hand out, in order. */
export const assignableRoles: readonly Role[] = ['viewer', 'operator', 'admin'];
