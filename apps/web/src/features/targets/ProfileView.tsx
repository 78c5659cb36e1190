import { useProfile } from '../../api/queries.ts';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { formatDuration, formatPercent } from '../../lib/format.ts';

const sourceText = {
  api: 'saved through Aviary',
  // Changing it needs no Aviary role, only write access to the router object: say so.
  annotation:
    'from the router object’s aviary.dev/profile annotation only (editable outside Aviary; each change is audited as drift)',
  default: 'Aviary’s defaults',
} as const;

/** A target's gate profile, read-only: what must hold before each step. */
export function ProfileView({ namespace, service }: { namespace: string; service: string }) {
  const profile = useProfile(namespace, service);
  const title = `${namespace}/${service}`;
  if (profile.isPending) return <Loading what={`the profile of ${title}`} />;
  if (profile.isError) return <ErrorState error={profile.error} />;
  const { profile: p, source, updatedBy } = profile.data;
  return (
    <section className="profile card" aria-label={`Metric profile of ${title}`}>
      <h3>{title}</h3>
      <p className="muted" data-testid="profile-source">
        {sourceText[source]}
        {updatedBy ? `, set by ${updatedBy}` : ''}
      </p>
      <dl>
        <dt>Bake time per step</dt>
        <dd>{formatDuration(p.minBakeSeconds)}</dd>
        <dt>Minimum canary requests</dt>
        <dd>{p.minSamples}</dd>
        <dt>Error rate</dt>
        <dd>
          ≤ stable + {formatPercent(p.errorRate.tolerance, 1)}, never above{' '}
          {formatPercent(p.errorRate.max, 1)}
        </dd>
        <dt>Latency</dt>
        <dd>
          share slower than stable's p{Math.round(p.latency.quantile * 100)} ≤ +
          {formatPercent(p.latency.tolerance, 1)}
        </dd>
        {p.business.map((b) => (
          <div key={b.name}>
            <dt>{b.name}</dt>
            <dd>
              {b.direction}, within {formatPercent(b.tolerance, 1)} of stable
            </dd>
          </div>
        ))}
        <dt>Automatic rollback</dt>
        <dd>{p.autoRollback ? 'on a confident fail' : 'off'}</dd>
      </dl>
    </section>
  );
}
