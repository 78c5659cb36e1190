import { z } from 'zod';
import { Role } from './auth.ts';

export const auditActions = [
  'rollout-started',
  'rollout-action',
  'profile-updated',
  'login',
  'login-failed',
  'logout',
  'token-created',
  'token-revoked',
  'user-created',
  'user-deleted',
  'settings-changed',
  'policy-updated',
  'approval-requested',
  'approval-approved',
  'approval-withdrawn',
  'operation-failed',
  'drift-detected',
  'profile-drift',
] as const;
export const AuditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof AuditAction>;

/** One append-only record of a state change: who, with which role, from where, what changed, why. */
export const AuditRecord = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  role: Role.nullable(),
  sourceAddress: z.string().nullable(),
  action: AuditAction,
  /** What was acted on, e.g. `rollout/<id>`, `token/<id>`, `user/<name>`. */
  subject: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  reason: z.string().nullable(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z.object({
  actor: z.string().max(200).optional(),
  action: AuditAction.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  cursor: z.string().max(100).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditList = z.object({ items: z.array(AuditRecord), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;
