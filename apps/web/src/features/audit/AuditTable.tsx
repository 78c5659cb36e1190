import type { AuditRecord } from '@aviary/contracts';
import { useMemo } from 'react';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import { rolloutOf, summarize } from './auditFilter.ts';

const columnsFor = (targets: ReadonlyMap<string, string>): readonly Column<AuditRecord>[] => [
  {
    id: 'at',
    label: 'Time',
    getValue: (r) => r.at,
    render: (r) => <time dateTime={r.at}>{formatDateTime(r.at)}</time>,
    sort: true,
  },
  { id: 'actor', label: 'Actor', getValue: (r) => r.actor, sort: true },
  { id: 'role', label: 'Role', getValue: (r) => r.role },
  { id: 'action', label: 'Action', getValue: (r) => r.action, sort: true },
  { id: 'what', label: 'What', getValue: (r) => summarize(r) },
  {
    id: 'subject',
    label: 'Subject',
    getValue: (r) => subjectName(r, targets),
    render: (r) => {
      const id = rolloutOf(r);
      return id ? (
        <Link to={hrefs.rollout(id, r.at)} title={r.subject ?? undefined}>
          {subjectName(r, targets)}
        </Link>
      ) : (
        (r.subject ?? '—')
      );
    },
  },
  { id: 'reason', label: 'Reason', getValue: (r) => r.reason },
  { id: 'source', label: 'From address', getValue: (r) => r.sourceAddress },
];

/** A rollout is named by its target ("rollout of shop/checkout"); its id stays in the link's title. */
function subjectName(r: AuditRecord, targets: ReadonlyMap<string, string>): string {
  const id = rolloutOf(r);
  const target = id ? targets.get(id) : undefined;
  return target ? `rollout of ${target}` : (r.subject ?? '—');
}

/** Audit records, newest first; each row carries its action for tests and styling. */
export function AuditTable({
  records,
  targets = new Map(),
}: {
  records: readonly AuditRecord[];
  targets?: ReadonlyMap<string, string>;
}) {
  const columns = useMemo(() => columnsFor(targets), [targets]);
  return (
    <DataTable
      columns={columns}
      rows={records}
      rowKey={(r) => String(r.id)}
      caption="Audit records"
      empty="No audit records match these filters."
      initialSort={{ id: 'at', desc: true }}
    />
  );
}
