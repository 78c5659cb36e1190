import { z } from 'zod';

/** Every 4xx/5xx body of the API: a stable code, and a message that says what to do next. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Codes of the guardrails on every path to traffic (apps/api maps each to its status); one line
 * per code.
 */
export const guardrailErrorCodes = [
  'approval-required',
  'approval-expired',
  'not-managed',
  'namespace-not-allowed',
  'registry-not-allowed',
] as const;
