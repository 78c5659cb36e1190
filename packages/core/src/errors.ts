/**
 * Domain errors are values with a code until the HTTP edge, where apps/api maps each code to a
 * status in one place. Every message says what to do next.
 */
export const domainErrorCodes = [
  'target-not-found',
  'target-not-canaryable',
  'rollout-not-found',
  'active-rollout-exists',
  'rollout-finished',
  'rollout-paused',
  'rollout-not-paused',
  'rollout-busy',
  'version-conflict',
  'no-next-step',
  'invalid-action',
  'idempotency-key-reused',
  'cluster-unavailable',
  'cluster-conflict',
  'canary-not-ready',
  'gate-not-passed',
  'invalid-profile',
  'metrics-unavailable',
  'unauthorized',
  'forbidden',
  'csrf-token-invalid',
  'invalid-credentials',
  'too-many-attempts',
  'too-many-streams',
  'token-not-found',
  'user-not-found',
  'user-exists',
  'role-above-owner',
  'invalid-request',
  'change-frozen',
  'approval-pending',
  'approval-self',
  'approval-not-pending',
  'approval-not-found',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
