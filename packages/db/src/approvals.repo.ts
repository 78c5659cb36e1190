import type { Approval } from '@aviary/contracts';
import { DomainError } from '@aviary/core';
import { type SQL, and, desc, eq, lte, sql } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { type ApprovalRow, approvals } from './schema/index.ts';
import { Statement } from './statement.ts';

export interface ApprovalFilter {
  status?: Approval['status'];
  rolloutId?: string;
}

/** An approval with its requester's stable id, which the API never shows. */
export interface StoredApproval extends Approval {
  requestedById: string;
}

const toApproval = (row: ApprovalRow): StoredApproval => ({ ...row });

/**
 * Pending, as a literal like the partial unique index's condition: with a bound value SQLite
 * would plan the statement again on every run, since whether the index applies depends on it.
 */
export const pending = sql`${approvals.status} = 'pending'`;

/** The reads every action makes (a rollback withdraws a pending approval), built once. */
function prepareStatements(db: Db, sqlite: AviaryDb['sqlite']) {
  const p = sql.placeholder;
  return {
    get: new Statement<ApprovalRow>(
      sqlite,
      db
        .select()
        .from(approvals)
        .where(eq(approvals.id, p('id'))),
      approvals,
    ),
    pendingFor: new Statement<ApprovalRow>(
      sqlite,
      db
        .select()
        .from(approvals)
        .where(and(eq(approvals.rolloutId, p('rolloutId')), pending)),
      approvals,
    ),
  };
}

/** Requests waiting for a second operator, and how each was decided. */
export class ApprovalsRepo {
  private readonly db: Db;
  private readonly q: ReturnType<typeof prepareStatements>;

  constructor({ db, sqlite }: Pick<AviaryDb, 'db' | 'sqlite'>) {
    this.db = db;
    this.q = prepareStatements(db, sqlite);
  }

  /** Store a pending approval; a second pending one for the same rollout is `approval-pending`. */
  create(approval: StoredApproval): StoredApproval {
    try {
      return toApproval(this.db.insert(approvals).values(approval).returning().get());
    } catch (err) {
      if (!isPendingConflict(err)) throw err;
      const holder = this.pendingFor(approval.rolloutId);
      throw new DomainError(
        'approval-pending',
        `rollout ${approval.rolloutId} already has a pending approval${holder ? ` ${holder.id} (${holder.action.type} requested by ${holder.requestedBy})` : ''}; approve or withdraw it first`,
        { approvalId: holder?.id },
      );
    }
  }

  get(id: string): StoredApproval | null {
    const row = this.q.get.get({ id });
    return row ? toApproval(row) : null;
  }

  pendingFor(rolloutId: string): StoredApproval | null {
    const row = this.q.pendingFor.get({ rolloutId });
    return row ? toApproval(row) : null;
  }

  /** Newest first. */
  list(filter: ApprovalFilter, limit: number): StoredApproval[] {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(approvals.status, filter.status));
    if (filter.rolloutId) where.push(eq(approvals.rolloutId, filter.rolloutId));
    return this.db
      .select()
      .from(approvals)
      .where(and(...where))
      .orderBy(desc(approvals.requestedAt), desc(approvals.id))
      .limit(limit)
      .all()
      .map(toApproval);
  }

  /**
   * Pending approvals whose time ran out become `expired`, decided by `aviary` at their expiry;
   * how many.
   */
  expireDue(now: string): number {
    return this.db
      .update(approvals)
      .set({ status: 'expired', decidedBy: 'aviary', decidedAt: sql`${approvals.expiresAt}` })
      .where(and(pending, lte(approvals.expiresAt, now)))
      .run().changes;
  }

  /** Decide a pending approval; null when it is no longer pending (someone decided first). */
  decide(
    id: string,
    status: 'approved' | 'withdrawn' | 'expired',
    by: string,
    at: string,
  ): StoredApproval | null {
    const row = this.db
      .update(approvals)
      .set({ status, decidedBy: by, decidedAt: at })
      .where(and(eq(approvals.id, id), pending))
      .returning()
      .get();
    return row ? toApproval(row) : null;
  }
}

function isPendingConflict(err: unknown): boolean {
  const e = err instanceof Error && !('code' in err) && err.cause instanceof Error ? err.cause : err;
  if (!(e instanceof Error) || !('code' in e) || e.code !== 'SQLITE_CONSTRAINT_UNIQUE') return false;
  // The partial unique index is the only UNIQUE on rollout_id; a reused id is a PRIMARYKEY error.
  return e.message.includes('approvals.rollout_id');
}
