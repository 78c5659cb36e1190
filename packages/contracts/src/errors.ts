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
