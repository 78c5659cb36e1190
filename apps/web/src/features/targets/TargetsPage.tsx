import type { Target } from '@aviary/contracts';
import { useTargets } from '../../api/queries.ts';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { Empty, ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import { PolicyView } from './PolicyView.tsx';
import { ProfileView } from './ProfileView.tsx';

const columns: readonly Column<Target>[] = [
  { id: 'target', label: 'Target', getValue: (t) => `${t.namespace}/${t.service}`, sort: true },
  {
    id: 'router',
    label: 'Router',
    getValue: (t) => t.router,
    render: (t) => (
      <>
        {t.router}
        <span className="muted"> {t.objects.map((o) => `${o.kind}/${o.name}`).join(', ')}</span>
      </>
    ),
  },
  { id: 'image', label: 'Stable image', getValue: (t) => t.stableImage },
  {
    id: 'weights',
    label: 'Split (stable/canary)',
    getValue: (t) => (t.weights ? `${t.weights.stable}/${t.weights.canary}` : null),
  },
  {
    id: 'status',
    label: 'Status',
    getValue: (t) => t.problems.length,
    render: (t) =>
      t.activeRolloutId ? (
        <Link to={hrefs.rollout(t.activeRolloutId)}>rollout running</Link>
      ) : t.problems.length ? (
        <ul className="problems">
          {t.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : (
        <Link to={hrefs.newRollout(t.namespace, t.service)}>ready: start a canary</Link>
      ),
  },
];

/** Every service Aviary can canary, what it still needs, and what its gate checks. */
export function TargetsPage() {
  const targets = useTargets();
  return (
    <div className="targets">
      <h1>Targets</h1>
      {targets.isPending ? <Loading what="targets from the cluster" /> : null}
      {targets.isError ? <ErrorState error={targets.error} retry={() => void targets.refetch()} /> : null}
      {targets.isSuccess && targets.data.length === 0 ? (
        <Empty>
          No targets found: Aviary looks for Services a traffic router splits between a stable and a canary
          (see the README's "What a cluster needs").
        </Empty>
      ) : null}
      {targets.data?.length ? (
        <>
          <DataTable
            columns={columns}
            rows={targets.data}
            rowKey={(t) => `${t.namespace}/${t.service}`}
            caption="Targets"
            empty=""
          />
          <h2>Policies</h2>
          <p className="muted">
            The two-person rule makes promotion wait for a second operator; during a change freeze nothing is
            promoted. Rollback is never frozen.
          </p>
          <div className="profiles policies">
            {targets.data.map((t) => (
              <PolicyView key={`${t.namespace}/${t.service}`} namespace={t.namespace} service={t.service} />
            ))}
          </div>
          <h2>Metric profiles</h2>
          <div className="profiles">
            {targets.data.map((t) => (
              <ProfileView key={`${t.namespace}/${t.service}`} namespace={t.namespace} service={t.service} />
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
