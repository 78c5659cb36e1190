import type { Me, Role } from '@aviary/contracts';

/** Who a request acts as, however they proved it. */
export interface Principal {
  /** The name history and audit record: a username, `admin` (bootstrap token) or `anonymous`. */
  actor: string;
  role: Role;
  via: Me['via'];
  /** The local user behind it (also for their API tokens); null for bootstrap, proxy, anonymous. */
  userId: string | null;
  tokenId: string | null;
  /** Set when a cookie session or the proxy authenticated the request: state changes need it back. */
  csrfToken: string | null;
}

export const anonymous: Principal = {
  actor: 'anonymous',
  role: 'viewer',
  via: 'anonymous',
  userId: null,
  tokenId: null,
  csrfToken: null,
};
