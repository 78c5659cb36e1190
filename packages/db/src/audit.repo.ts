import type { AuditAction, AuditRecord } from '@aviary/contracts';
import { DomainError, type NewAuditRecord } from '@aviary/core';
import { type SQL, and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { json } from './rows.ts';
import { Statement } from './statement.ts';
import { audit } from './schema/index.ts';

export type { NewAuditRecord };

export interface AuditFilter {
  actor?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
}

/** The audit trail: insert and read only (the database refuses updates and deletes). */
export class AuditRepo {
  private readonly db: Db;
  /** Every action appends one record: the INSERT is prepared once (placeholders bound as given). */
  private readonly insert;

  constructor({ db, sqlite }: Pick<AviaryDb, 'db' | 'sqlite'>) {
    this.db = db;
    const p = sql.placeholder;
    this.insert = new Statement<AuditRecord>(
      sqlite,
      db
        .insert(audit)
        .values({
          at: sql`${p('at')}`,
          actor: sql`${p('actor')}`,
          role: sql`${p('role')}`,
          sourceAddress: sql`${p('sourceAddress')}`,
          action: sql`${p('action')}`,
          subject: sql`${p('subject')}`,
          before: sql`${p('before')}`,
          after: sql`${p('after')}`,
          reason: sql`${p('reason')}`,
        })
        .returning(),
      audit,
    );
  }

  append(record: NewAuditRecord): AuditRecord {
    // INSERT … RETURNING always yields the row it inserted.
    return this.insert.get({
      at: record.at,
      actor: record.actor,
      role: record.role ?? null,
      sourceAddress: record.sourceAddress ?? null,
      action: record.action,
      subject: record.subject ?? null,
      before: json(audit.before, record.before),
      after: json(audit.after, record.after),
      reason: record.reason ?? null,
    })!;
  }

  /** Newest first; the cursor is the id of the last record of the previous page. */
  list(
    filter: AuditFilter,
    limit: number,
    cursor?: string,
  ): { items: AuditRecord[]; nextCursor: string | null } {
    const where: SQL[] = [];
    if (filter.actor) where.push(eq(audit.actor, filter.actor));
    if (filter.action) where.push(eq(audit.action, filter.action));
    if (filter.from) where.push(gte(audit.at, new Date(filter.from).toISOString()));
    if (filter.to) where.push(lte(audit.at, new Date(filter.to).toISOString()));
    if (cursor !== undefined) {
      const id = Number(cursor);
      if (!Number.isSafeInteger(id) || id < 1)
        throw new DomainError(
          'invalid-request',
          'the cursor is not one this API returned; pass the nextCursor of the previous page, or omit it',
          { field: 'cursor' },
        );
      where.push(lt(audit.id, id));
    }
    const rows = this.db
      .select()
      .from(audit)
      .where(and(...where))
      .orderBy(desc(audit.id))
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
  }
}
