import type { TargetProfile } from '@aviary/contracts';
import type { ProfileStore } from '@aviary/core';
import { and, eq } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { profileAnnotations, targetProfiles } from './schema/index.ts';

/** Profiles saved through the API; one row per target, replaced as a whole. */
export class SqliteProfileStore implements ProfileStore {
  private readonly db: Db;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
  }

  get(namespace: string, service: string): TargetProfile | null {
    const row = this.db
      .select()
      .from(targetProfiles)
      .where(and(eq(targetProfiles.namespace, namespace), eq(targetProfiles.service, service)))
      .get();
    return row ? { ...row, source: 'api' } : null;
  }

  put(p: TargetProfile): TargetProfile {
    const row = {
      namespace: p.namespace,
      service: p.service,
      profile: p.profile,
      updatedAt: p.updatedAt ?? new Date().toISOString(),
      updatedBy: p.updatedBy ?? 'unknown',
    };
    this.db
      .insert(targetProfiles)
      .values(row)
      .onConflictDoUpdate({ target: [targetProfiles.namespace, targetProfiles.service], set: row })
      .run();
    return { ...row, source: 'api' };
  }

  /** The profile annotation as last seen: its text (null: none), or undefined if never looked at. */
  lastAnnotation(namespace: string, service: string): string | null | undefined {
    const row = this.db
      .select({ value: profileAnnotations.value })
      .from(profileAnnotations)
      .where(and(eq(profileAnnotations.namespace, namespace), eq(profileAnnotations.service, service)))
      .get();
    return row ? row.value : undefined;
  }

  rememberAnnotation(namespace: string, service: string, value: string | null, at: string): void {
    const row = { namespace, service, value, seenAt: at };
    this.db
      .insert(profileAnnotations)
      .values(row)
      .onConflictDoUpdate({ target: [profileAnnotations.namespace, profileAnnotations.service], set: row })
      .run();
  }
}
