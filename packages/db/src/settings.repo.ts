import { eq } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { settings } from './schema/index.ts';

/** Settings changed through the API, as JSON values by key. */
export class SettingsRepo {
  private readonly db: Db;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
  }

  get<T>(key: string, fallback: T): T {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? (row.value as T) : fallback;
  }

  set(key: string, value: unknown, at: string, by: string): void {
    const row = { key, value, updatedAt: at, updatedBy: by };
    this.db.insert(settings).values(row).onConflictDoUpdate({ target: settings.key, set: row }).run();
  }

  /** The stored value, or `make()` stored now; the first writer wins across processes. */
  getOrCreate<T>(key: string, make: () => T, at: string): T {
    this.db
      .insert(settings)
      .values({ key, value: make(), updatedAt: at, updatedBy: 'aviary' })
      .onConflictDoNothing()
      .run();
    return this.get<T>(key, undefined as T);
  }
}
