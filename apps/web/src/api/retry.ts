import { isApiError } from './ApiError.ts';

export const MAX_RETRIES = 3;

/**
 * Retry what may heal by itself (the API restarting, a 503 while the cluster is unreachable);
 * never a 4xx: asking again with the same request gets the same answer.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (isApiError(error) && error.isClientError) return false;
  return true;
}

/** 1 s, 2 s, 4 s … capped at 15 s. */
export function retryDelay(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 15_000);
}
