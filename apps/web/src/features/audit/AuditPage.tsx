import { useMemo, useState } from 'react';
import { useAuditPages } from '../../api/audit.ts';
import { useRolloutTargets } from '../../api/queries.ts';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { AuditExports } from './AuditExports.tsx';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { type AuditFilter, emptyAuditFilter, rangeProblem, rolloutOf, toAuditQuery } from './auditFilter.ts';

/** Admin: the append-only record of every change — who, with which role, from where, why. */
export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>(emptyAuditFilter);
  const pages = useAuditPages(toAuditQuery(filter));
  const records = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const problem = rangeProblem(filter);
  const rolloutIds = useMemo(
    () => [...new Set(records.map(rolloutOf).filter((id): id is string => id !== null))],
    [records],
  );
  const targets = useRolloutTargets(rolloutIds);
  return (
    <div className="audit">
      <h1>Audit</h1>
      <p className="muted">
        Every state change, newest first. Records cannot be edited or deleted, by anyone.
      </p>
      <AuditFilters filter={filter} onChange={setFilter} />
      {problem ? (
        <p className="why" role="note">
          {problem}
        </p>
      ) : null}
      <AuditExports filter={filter} records={records} />
      {pages.isPending ? <Loading what="audit records" /> : null}
      {pages.isError ? <ErrorState error={pages.error} retry={() => void pages.refetch()} /> : null}
      {pages.isSuccess ? <AuditTable records={records} targets={targets} /> : null}
      {pages.hasNextPage ? (
        <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? 'Loading…' : 'Load older records'}
        </button>
      ) : null}
    </div>
  );
}
