import type { Me, Role } from '@aviary/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/queryKeys.ts';

export const meFixture = (role: Role, over: Partial<Me> = {}): Me => ({
  user: role === 'viewer' ? 'vic' : role === 'operator' ? 'olga' : 'ada',
  role,
  via: 'session',
  csrfToken: 'csrf-test',
  setupRequired: false,
  anonymousRead: false,
  ...over,
});

/** Sign a test's query client in as someone (what `GET /auth/me` would have answered). */
export function signInAs(client: QueryClient, me: Me | null): QueryClient {
  client.setQueryData(queryKeys.me, me);
  return client;
}
