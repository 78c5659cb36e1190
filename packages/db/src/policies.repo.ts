import type { TargetPolicy } from '@aviary/contracts';
import { and, eq, sql } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { targetPolicies } from './schema/index.ts';
import { Statement } from './statement.ts';

export interface StoredPolicy {
  namespace: string;
  service: string;
  /** As saved: a policy saved before the promotion threshold existed has none (the default applies). */
  policy: Omit<TargetPolicy, 'promotionThreshold'> & Partial<Pick<TargetPolicy, 'promotionThreshold'>>;
  updatedAt: string;
  updatedBy: string;
}

/** Target policies saved through the API; one row per target, replaced as a whole. */
export class PoliciesRepo {
  private readonly db: Db;
  /** Read on every promotion and every action's freeze check: prepared once. */
  private readonly byTarget;

  constructor({ db, sqlite }: Pick<AviaryDb, 'db' | 'sqlite'>) {
    this.db = db;
    this.byTarget = new Statement<StoredPolicy>(
      sqlite,
      db
        .select()
        .from(targetPolicies)
        .where(
          and(
            eq(targetPolicies.namespace, sql.placeholder('namespace')),
            eq(targetPolicies.service, sql.placeholder('service')),
          ),
        ),
      targetPolicies,
    );
  }

  get(namespace: string, service: string): StoredPolicy | null {
    return this.byTarget.get({ namespace, service }) ?? null;
  }

  put(p: StoredPolicy): StoredPolicy {
    this.db
      .insert(targetPolicies)
      .values(p)
      .onConflictDoUpdate({ target: [targetPolicies.namespace, targetPolicies.service], set: p })
      .run();
    return p;
  }
}
