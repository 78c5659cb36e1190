import type { ErrorCode } from '@aviary/contracts';

/**
 * Domain errors are values with a code until the HTTP edge, where apps/api turns the code into
 * its status (the table is `errorStatus` in @aviary/contracts). Every message says what to do next.
 */
export type DomainErrorCode = ErrorCode;

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
