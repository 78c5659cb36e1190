import type { RolloutEvent } from '@aviary/contracts';
import type { StoredRollout } from '@aviary/core';
import type { EventRow, NewRolloutRow, RolloutRow } from './schema/index.ts';

// Rows ⇄ domain types. JSON columns are parsed by drizzle (`mode: 'json'`). New events are bound
// to a prepared statement field by field (rollouts.repo.ts), not mapped to a row here.

/**
 * A JSON column's value as drizzle's `mode: 'json'` writes it, for binding to a prepared
 * statement's placeholder: the column's own encoder, and SQL NULL (not the text 'null') for null
 * or a missing value.
 */
export function json<T>(
  column: { mapToDriverValue(value: T): unknown },
  value: T | null | undefined,
): unknown {
  return value === null || value === undefined ? null : column.mapToDriverValue(value);
}

export const toRollout = (row: RolloutRow): StoredRollout => ({
  id: row.id,
  target: { namespace: row.namespace, service: row.service, router: row.router },
  stableImage: row.stableImage,
  canaryImage: row.canaryImage,
  phase: row.phase,
  weight: row.weight,
  stepIndex: row.stepIndex,
  steps: row.steps,
  version: row.version,
  operation: row.operation ?? null,
  reason: row.reason,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const toRolloutRow = (r: StoredRollout): NewRolloutRow => ({
  id: r.id,
  namespace: r.target.namespace,
  service: r.target.service,
  router: r.target.router,
  stableImage: r.stableImage,
  canaryImage: r.canaryImage,
  phase: r.phase,
  weight: r.weight,
  stepIndex: r.stepIndex,
  steps: r.steps,
  version: r.version,
  operation: r.operation,
  reason: r.reason,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const toEvent = (row: EventRow): RolloutEvent => ({
  id: row.id,
  rolloutId: row.rolloutId,
  at: row.at,
  actor: row.actor,
  action: row.action,
  fromWeight: row.fromWeight,
  toWeight: row.toWeight,
  fromPhase: row.fromPhase,
  toPhase: row.toPhase,
  reason: row.reason,
  details: row.details ?? null,
});
