import type { AuditAction } from '@aviary/contracts';
import type { FastifyInstance } from 'fastify';
import type { Access } from '../auth/access.ts';
import { clientAddress } from '../auth/request-info.ts';

export interface AuditEntry {
  action: AuditAction;
  subject?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** Who, when there is no principal yet (a failed login names the account it tried). */
  actor?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Append an audit record attributed to this request's principal and address. Never pass a secret. */
    audit(entry: AuditEntry): void;
  }
}

export function registerAudit(app: FastifyInstance, access: Access): void {
  app.decorateRequest('audit', function (this: import('fastify').FastifyRequest, entry: AuditEntry) {
    access.audit.append({
      at: new Date().toISOString(),
      actor: entry.actor ?? this.actor,
      role: this.principal?.role ?? null,
      sourceAddress: clientAddress(this, access.isTrusted),
      action: entry.action,
      subject: entry.subject ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      reason: entry.reason ?? null,
    });
  });
}
