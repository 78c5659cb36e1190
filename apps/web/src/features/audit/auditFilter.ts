import type { AuditAction, AuditRecord } from '@aviary/contracts';
import type { AuditApiQuery } from '../../api/queryKeys.ts';

export interface AuditFilter {
  /** Exactly who acted (the API matches the whole name), or ''. */
  actor: string;
  action: AuditAction | '';
  /** yyyy-mm-dd (inclusive, UTC), or ''. */
  from: string;
  to: string;
}

export const emptyAuditFilter: AuditFilter = { actor: '', action: '', from: '', to: '' };

/** The filter as the API takes it: whole UTC days as ISO instants, empty fields left out. */
export function toAuditQuery(f: AuditFilter): AuditApiQuery {
  const actor = f.actor.trim();
  return {
    ...(actor ? { actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.from ? { from: `${f.from}T00:00:00.000Z` } : {}),
    ...(f.to ? { to: `${f.to}T23:59:59.999Z` } : {}),
  };
}

/** A date range that ends before it starts, said so; null when fine. */
export function rangeProblem(f: AuditFilter): string | null {
  return f.from && f.to && f.from > f.to ? '"From" is after "To": nothing can match' : null;
}

const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;

/** One line for what happened, e.g. "step (gate overridden)" for a rollout action. */
export function summarize(record: AuditRecord): string {
  if (record.action === 'rollout-action') {
    const request = field(record.after, 'request');
    const type = field(request, 'type');
    const override = field(request, 'override') === true;
    const from = field(record.before, 'weight');
    const to = field(record.after, 'weight');
    const what = typeof type === 'string' ? type : 'action';
    const moved =
      typeof from === 'number' && typeof to === 'number' && from !== to ? ` ${from}% → ${to}%` : '';
    return `${what}${moved}${override ? ' (gate overridden)' : ''}`;
  }
  if (record.action === 'rollout-started') {
    const image = field(record.after, 'canaryImage');
    return typeof image === 'string' ? `started ${image}` : 'started';
  }
  if (record.action === 'policy-updated') return summarizePolicy(record.after);
  if (
    record.action === 'approval-requested' ||
    record.action === 'approval-approved' ||
    record.action === 'approval-withdrawn'
  )
    return summarizeApproval(record);
  if (record.action === 'settings-changed') {
    const on = field(record.after, 'anonymousRead');
    return typeof on === 'boolean' ? `anonymous read ${on ? 'on' : 'off'}` : 'settings changed';
  }
  return record.action;
}

/** "two-person rule on, 1 freeze window" from a policy record's `after`. */
function summarizePolicy(after: unknown): string {
  const approval = field(after, 'requireApproval');
  const windows = field(after, 'freezeWindows');
  const parts: string[] = [];
  if (typeof approval === 'boolean') parts.push(`two-person rule ${approval ? 'on' : 'off'}`);
  if (Array.isArray(windows))
    parts.push(
      windows.length === 0
        ? 'no freeze windows'
        : `${windows.length} freeze window${windows.length === 1 ? '' : 's'}`,
    );
  return parts.length ? `policy: ${parts.join(', ')}` : 'policy updated';
}

/** The approval a record carries: in `after` (or `before`), whole or under `approval`. */
function approvalOf(record: AuditRecord): Record<string, unknown> | undefined {
  for (const side of [record.after, record.before]) {
    const nested = field(side, 'approval');
    const candidate = nested ?? side;
    if (candidate && typeof candidate === 'object' && ('requestedBy' in candidate || 'action' in candidate))
      return candidate as Record<string, unknown>;
  }
  return undefined;
}

/** "asked for approval to promote", "approved promote asked by olga", "withdrew the request to promote". */
function summarizeApproval(record: AuditRecord): string {
  const approval = approvalOf(record);
  const action = field(approval, 'action') ?? field(record.after, 'request');
  const type = field(action, 'type');
  const weight = field(action, 'weight');
  const override = field(action, 'override') === true;
  const what =
    typeof type === 'string'
      ? `${type}${typeof weight === 'number' ? ` to ${weight}%` : ''}${override ? ' (gate overridden)' : ''}`
      : 'an action';
  const requestedBy = field(approval, 'requestedBy');
  const by =
    typeof requestedBy === 'string' && requestedBy !== record.actor ? ` asked by ${requestedBy}` : '';
  switch (record.action) {
    case 'approval-requested':
      return `asked for approval to ${what}`;
    case 'approval-approved':
      return `approved ${what}${by}`;
    default:
      return `withdrew the request to ${what}${by}`;
  }
}

/** The rollout a record is about: its subject `rollout/<id>`, or the rollout of an approval record. */
export const rolloutOf = (record: AuditRecord): string | null => {
  if (record.subject?.startsWith('rollout/')) return record.subject.slice('rollout/'.length);
  const id = field(approvalOf(record), 'rolloutId');
  return typeof id === 'string' && record.action.startsWith('approval-') ? id : null;
};

/** The JSON export: the records as loaded, with the filter that selected them. */
export function auditJson(records: readonly AuditRecord[], filter: AuditFilter, exportedAt: string): string {
  return `${JSON.stringify({ exportedAt, filter: toAuditQuery(filter), count: records.length, items: records }, null, 2)}\n`;
}

export const exportName = (ext: 'csv' | 'json', at: string) =>
  `aviary-audit-${at.slice(0, 19).replaceAll(':', '-')}.${ext}`;
