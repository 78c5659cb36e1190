import { z } from 'zod';

/**
 * Every error code the API answers with, and its HTTP status. One table for the server (which
 * maps a code to its status here and nowhere else), the dashboard and the CLI. Kept in
 * alphabetical order; a new code is one new line.
 */
export const errorStatus = {
  'active-rollout-exists': 409,
  'approval-expired': 409,
  'approval-not-found': 404,
  'approval-not-pending': 409,
  'approval-pending': 409,
  'approval-self': 403,
  'approval-required': 409,
  /** A request the HTTP layer could not take as sent (a bad URL, a header out of range). */
  'bad-request': 400,
  'canary-not-ready': 504,
  'change-frozen': 409,
  'cluster-conflict': 503,
  'cluster-unavailable': 503,
  'csrf-token-invalid': 403,
  forbidden: 403,
  'gate-not-passed': 409,
  /** The request's headers are larger than the server reads; send fewer or shorter ones. */
  'headers-too-large': 431,
  'idempotency-in-flight': 409,
  'idempotency-key-reused': 422,
  /** Aviary hit an unexpected error; the message names the request id it is logged under. */
  internal: 500,
  'invalid-action': 409,
  'invalid-credentials': 401,
  'invalid-profile': 422,
  'invalid-request': 400,
  /** The body is not what its content type says (broken JSON, an empty JSON body). */
  'malformed-body': 400,
  'metrics-unavailable': 503,
  'method-not-allowed': 405,
  'namespace-not-allowed': 403,
  'no-next-step': 409,
  'not-managed': 409,
  'not-found': 404,
  'payload-too-large': 413,
  'rate-limited': 429,
  'registry-not-allowed': 403,
  'request-timeout': 408,
  'role-above-owner': 403,
  'rollout-busy': 409,
  'rollout-finished': 409,
  'rollout-not-found': 404,
  'rollout-not-paused': 409,
  'rollout-paused': 409,
  'target-not-canaryable': 422,
  'target-not-found': 404,
  'token-not-found': 404,
  'too-many-attempts': 429,
  'too-many-streams': 429,
  unauthorized: 401,
  'unsupported-media-type': 415,
  'uri-too-long': 414,
  'user-exists': 409,
  'user-not-found': 404,
  'version-conflict': 409,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;
export const ErrorCode = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(errorStatus, value);

/**
 * Every 4xx/5xx body of the API: a stable code, a message that says what to do next, the field
 * at fault if there is one, and facts a client can act on without parsing the message, e.g.
 * `currentVersion` on a `version-conflict` or `traffic` (the split the cluster really holds)
 * when a change of traffic failed.
 */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
