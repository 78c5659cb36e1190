/**
 * The exit codes a pipeline can branch on. They are part of the command's contract: the README
 * documents them and the full-stack tests check each one.
 */
export const ExitCode = {
  /** Done, or the awaited state was reached. */
  ok: 0,
  /** Any other error: bad input, an unreachable API, a refused action. */
  error: 1,
  /** The rollout was rolled back, by a person or by the gate. */
  rolledBack: 2,
  /** `--timeout` passed before the awaited state. */
  timedOut: 3,
  /** Blocked by policy: a freeze window, or waiting for a second approver. */
  blocked: 4,
  /** Not signed in, or the role does not allow it. */
  denied: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the command reports and exits with; `code` is the API's error code when it had one. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code = 'cli-error',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** API error codes that mean "a policy holds this back", not "this went wrong". */
const blockingCodes = new Set(['change-frozen', 'approval-pending']);

/** The exit code for an API answer that was not a success. */
export function exitCodeOfApiError(status: number, code: string): ExitCode {
  if (status === 401 || status === 403) return ExitCode.denied;
  if (blockingCodes.has(code)) return ExitCode.blocked;
  return ExitCode.error;
}
