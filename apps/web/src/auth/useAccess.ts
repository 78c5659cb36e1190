import type { Me } from '@aviary/contracts';
import { useMe } from '../api/auth.ts';
import { type Capability, can, denial } from './permissions.ts';

export interface Access {
  me: Me | null;
  can: (capability: Capability) => boolean;
  /** Why not, or null. */
  denial: (capability: Capability) => string | null;
}

/** The signed-in person's permissions, from the cached `/auth/me`. */
export function useAccess(): Access {
  const me = useMe().data ?? null;
  return { me, can: (c) => can(me, c), denial: (c) => denial(me, c) };
}
