import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './ApiError.ts';
import { queryKeys } from './queryKeys.ts';
import { retryDelay, shouldRetry } from './retry.ts';
import { setSignInNotice } from './signInNotice.ts';

/** The session ended under us (idle timeout, signed out elsewhere, user deleted): ask /auth/me again. */
function onError(client: () => QueryClient, error: unknown): void {
  if (!isApiError(error)) return;
  if (error.status === 401 && error.code === 'unauthorized') {
    setSignInNotice('Your session has ended (idle for too long, or signed out elsewhere): sign in again.');
    void client().invalidateQueries({ queryKey: queryKeys.me });
  } else if (error.code === 'csrf-token-invalid') {
    void client().invalidateQueries({ queryKey: queryKeys.me });
  }
}

/** The one place for query defaults: the stream keeps data fresh, so nothing refetches on focus. */
export function createQueryClient(): QueryClient {
  const get = () => client;
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onError(get, error) }),
    mutationCache: new MutationCache({ onError: (error) => onError(get, error) }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay,
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
