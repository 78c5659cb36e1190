import type { RolloutListItem } from '@aviary/contracts';
import { useMemo, useState } from 'react';
import { useRolloutPages } from '../../api/queries.ts';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { formatDateTime, formatDuration } from '../../lib/format.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import { HistoryFilters } from './HistoryFilters.tsx';
import { distinctTargets, emptyFilter, filterRollouts, targetKey } from './filters.ts';

/** "aviary (automatic)" for the guard's own rollbacks, else the person. */
const endedBy = (r: RolloutListItem) =>
  r.ended ? `${r.ended.actor === 'aviary' ? 'aviary (automatic)' : r.ended.actor}: ${r.ended.action}` : '—';

const columns: readonly Column<RolloutListItem>[] = [
  {
    id: 'started',
    label: 'Started',
    getValue: (r) => r.createdAt,
    render: (r) => <Link to={hrefs.rollout(r.id)}>{formatDateTime(r.createdAt)}</Link>,
    sort: true,
  },
  { id: 'target', label: 'Target', getValue: targetKey, sort: true },
  { id: 'image', label: 'Canary image', getValue: (r) => r.canaryImage },
  {
    id: 'phase',
    label: 'Outcome',
    getValue: (r) => r.phase,
    render: (r) => <PhaseBadge phase={r.phase} />,
    sort: true,
  },
  {
    id: 'peak',
    label: 'Peak weight',
    getValue: (r) => r.peakWeight ?? r.weight,
    render: (r) => `${r.peakWeight ?? r.weight}%`,
    sort: true,
  },
  { id: 'actor', label: 'Started by', getValue: (r) => r.createdBy, sort: true },
  { id: 'ended-by', label: 'Ended by', getValue: endedBy, sort: true },
  { id: 'ended-why', label: 'Why it ended', getValue: (r) => r.ended?.reason ?? (r.ended ? '—' : null) },
  {
    id: 'duration',
    label: 'Duration',
    getValue: (r) => Date.parse(r.updatedAt) - Date.parse(r.createdAt),
    render: (r) => formatDuration((Date.parse(r.updatedAt) - Date.parse(r.createdAt)) / 1000),
    sort: true,
  },
  { id: 'reason', label: 'Why it started', getValue: (r) => r.reason },
];

/** Every rollout, for the on-call: filter, open one for its timeline and replayed charts. */
export function HistoryPage() {
  const pages = useRolloutPages({ limit: 100 });
  const [filter, setFilter] = useState(emptyFilter);
  const all = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const rows = filterRollouts(all, filter);
  return (
    <div className="history">
      <h1>History</h1>
      <HistoryFilters filter={filter} targets={distinctTargets(all)} onChange={setFilter} />
      {pages.isPending ? <Loading what="rollouts" /> : null}
      {pages.isError ? <ErrorState error={pages.error} retry={() => void pages.refetch()} /> : null}
      {pages.isSuccess ? (
        <>
          <p className="muted" role="status">
            {rows.length} of {all.length} loaded rollouts{pages.hasNextPage ? ' (more on the server)' : ''}
          </p>
          <DataTable
            columns={columns}
            rows={rows}
            rowKey={(r) => r.id}
            caption="Rollouts"
            initialSort={{ id: 'started', desc: true }}
            empty={
              all.length
                ? 'No rollout matches these filters.'
                : 'No rollout yet. Start a canary to see it here.'
            }
          />
          {pages.hasNextPage ? (
            <button
              type="button"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? 'Loading…' : 'Load older rollouts'}
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
