import { DomainError } from '@aviary/core';
import { ApiException } from '@kubernetes/client-node';

/** The Kubernetes `Status` message in an API error, or the error's own message. */
export function kubeMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body = typeof err.body === 'string' ? safeJson(err.body) : err.body;
    const message = (body as { message?: string } | undefined)?.message;
    return message ? `${message} (HTTP ${err.code})` : `HTTP ${err.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function statusOf(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

/** Worth another try: a conflict (re-read and re-apply), throttling, a server error, a dropped connection. */
export function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return status === 409 || status === 429 || status >= 500;
  return !(err instanceof DomainError);
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 6, baseDelayMs: 50 };

/**
 * Run a read-modify-write against the API server until it lands: every attempt re-reads, so a
 * 409 on a stale resourceVersion is resolved by applying the change to the latest object.
 * Gives up with a DomainError that says what the server answered.
 */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  policy: RetryPolicy = defaultRetry,
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      if (!isTransient(err)) break;
      const delay = policy.baseDelayMs * 2 ** attempt * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  if (last instanceof DomainError) throw last;
  const status = statusOf(last);
  throw new DomainError(
    status === 409 ? 'cluster-conflict' : 'cluster-unavailable',
    `${what}: the Kubernetes API answered ${kubeMessage(last)}`,
    { status: status ?? null },
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
