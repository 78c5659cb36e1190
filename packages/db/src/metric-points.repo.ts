import type { MetricPoint } from '@aviary/contracts';
import type { MetricPointStore } from '@aviary/core';
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { metricPoints } from './schema/index.ts';

/** Chart samples kept while a rollout runs, read back for charts and replays. */
export class SqliteMetricPointStore implements MetricPointStore {
  private readonly db: Db;
  private readonly byRange;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
    this.byRange = db
      .select()
      .from(metricPoints)
      .where(
        and(
          eq(metricPoints.rolloutId, sql.placeholder('rolloutId')),
          gte(metricPoints.at, sql.placeholder('from')),
          lte(metricPoints.at, sql.placeholder('to')),
        ),
      )
      .orderBy(asc(metricPoints.at), asc(metricPoints.id))
      .prepare();
  }

  append(rolloutId: string, points: MetricPoint[]): void {
    if (points.length === 0) return;
    this.db
      .insert(metricPoints)
      .values(points.map((p) => ({ rolloutId, ...p })))
      .run();
  }

  range(rolloutId: string, from: string, to: string): MetricPoint[] {
    return this.byRange.all({ rolloutId, from, to }).map((r) => ({
      at: r.at,
      arm: r.arm,
      requestRate: r.requestRate,
      errorRate: r.errorRate,
      p50: r.p50,
      p95: r.p95,
      p99: r.p99,
      business: r.business,
    }));
  }
}
