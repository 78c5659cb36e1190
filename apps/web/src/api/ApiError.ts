import { type ErrorCode, isErrorCode } from '@aviary/contracts';

/**
 * The one error type the data layer throws. `status` is 0 when the API could not be reached at
 * all; `code` is the API's stable error code (see @aviary/contracts ErrorBody).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    field?: string,
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** What to tell a person, by error code: the API's message already says what to do next. */
export function describeError(err: unknown): { title: string; message: string } {
  if (!isApiError(err)) {
    return { title: 'Something went wrong', message: err instanceof Error ? err.message : String(err) };
  }
  if (err.isNetwork) {
    return {
      title: 'The Aviary API is not answering',
      message: `${err.message}. Start it with "pnpm start", or check the network; the page retries by itself.`,
    };
  }
  if (err.status === 429) {
    const wait = err.details?.retryAfterSeconds;
    const when = typeof wait === 'number' ? `in ${formatWait(wait)}` : 'in a few minutes';
    return {
      title: 'Too many failed sign-ins',
      message: `Sign-in is paused for this account or address: try again ${when}, or ask an admin to check the account.`,
    };
  }
  if (err.code === 'unauthorized')
    return {
      title: 'Not signed in',
      message: 'Your session has ended or you are not signed in: sign in again (top right).',
    };
  if (err.code === 'csrf-token-invalid')
    return {
      title: 'The page is out of date',
      message: 'Your session was renewed; nothing was changed. Try again, or reload the page.',
    };
  if (err.code === 'forbidden') return { title: 'Not allowed for your role', message: `${err.message}.` };
  const titles: Partial<Record<ErrorCode, string>> = {
    'cluster-unavailable': 'The cluster is unreachable',
    'metrics-unavailable': 'Prometheus is unreachable',
    'invalid-credentials': 'Sign-in failed',
    'user-exists': 'That user exists',
    'invalid-request': 'Check the form',
    'gate-not-passed': 'The gate has not passed',
    'version-conflict': 'Someone else changed this rollout',
    'rollout-busy': 'An operation is under way',
    'rollout-not-found': 'No such rollout',
    'not-found': 'Not found',
    'change-frozen': 'Change freeze in force',
    'approval-pending': 'Already waiting for approval',
    'approval-self': 'A second operator must approve',
    'approval-not-pending': 'That request is no longer pending',
    'approval-not-found': 'No such approval request',
  };
  return {
    title: (isErrorCode(err.code) && titles[err.code]) || `Request failed (${err.status})`,
    message: err.message,
  };
}

/** 75 → "1 min 15 s". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const rest = s % 60;
  return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
}
