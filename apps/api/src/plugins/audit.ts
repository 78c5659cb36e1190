import type { AuditAction } from '@aviary/contracts';
import type { AuditContext } from '@aviary/core';
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
    /**
     * Who acts and from where, for a rollout action: the engine writes its audit record with the
     * action's event. `context` goes next to the state after the action (e.g. the request).
     */
    auditContext(context: Record<string, unknown>): AuditContext;
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
  app.decorateRequest(
    'auditContext',
    function (this: import('fastify').FastifyRequest, context: Record<string, unknown>): AuditContext {
      return {
        actor: this.actor,
        role: this.principal?.role ?? null,
        sourceAddress: clientAddress(this, access.isTrusted),
        context,
      };
    },
  );
}
