import type { UsersRepo } from '@aviary/db';
import type { Principal } from './auth/principal.ts';

/** Who acts, for the two-person rule: a display name for people, a stable id to compare. */
export interface Operator {
  name: string;
  /** `user:<id>` (a local user, signed in or through their API tokens), `proxy:<name>`, `bootstrap`, `anonymous`. */
  id: string;
}

type Users = Pick<UsersRepo, 'byId' | 'byName'>;

/**
 * One person, one id, however they signed in: a local user's sessions and API tokens share the
 * user's id; a proxy (SSO) identity is the local user of the same name when there is one (local
 * usernames are lower case, and `admin`, `aviary`, `system` and `anonymous` are reserved), else
 * its own; the bootstrap token and every token made with it are `bootstrap`.
 */
export function operatorOf(principal: Principal | null, users: Users): Operator {
  if (!principal || principal.via === 'anonymous') return { name: 'anonymous', id: 'anonymous' };
  if (principal.userId) return { name: principal.actor, id: `user:${principal.userId}` };
  if (principal.via === 'proxy') return { name: principal.actor, id: personNamed(principal.actor, users) };
  return { name: principal.actor, id: 'bootstrap' };
}

/** The id of whoever acted under `name` (as `users.created_by` records it). */
function personNamed(name: string, users: Users): string {
  const local = users.byName(name.trim().toLowerCase());
  if (local) return `user:${local.id}`;
  return name === 'admin' ? 'bootstrap' : `proxy:${name.trim().toLowerCase()}`;
}

/** Who created a local user's account (and so chose its first password), as an id. */
function creatorOf(id: string, users: Users): string | null {
  if (!id.startsWith('user:')) return null;
  const user = users.byId(id.slice('user:'.length));
  return user ? personNamed(user.createdBy, users) : null;
}

/**
 * Why `approver` counts as the same person as the requester (`requesterId`), or null when they
 * are two. The same id; or one created the other's local account: the creator set its password,
 * so could act as it (the rule follows one step of creation, not chains of accounts).
 * Approvals stored before ids were kept (`name:<name>`) are compared by name.
 */
export function samePerson(requesterId: string, approver: Operator, users: Users): string | null {
  if (requesterId.startsWith('name:'))
    return requesterId.slice('name:'.length) === approver.name ? 'you requested it' : null;
  if (requesterId === approver.id) return 'you requested it';
  if (creatorOf(approver.id, users) === requesterId)
    return 'the requester created your account (and set its password)';
  if (creatorOf(requesterId, users) === approver.id)
    return "you created the requester's account (and set its password)";
  return null;
}
