import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { ageSeconds, formatDuration } from '../../lib/format.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import type { OverviewItem } from './overview.ts';

/** One active rollout, readable from across the room. Links to its page; has no buttons. */
export function ActiveRolloutCard({ item, now }: { item: OverviewItem; now: number }) {
  const { rollout, verdict, waiting } = item;
  return (
    <li className={`card${waiting ? ' card-waiting' : ''}`} data-rollout={rollout.id}>
      <Link to={hrefs.rollout(rollout.id)} className="card-link">
        <span className="card-title">
          {rollout.target.namespace}/{rollout.target.service}
        </span>
        <span className="card-weight">
          <span className="visually-hidden">canary weight </span>
          {rollout.weight}%
        </span>
        <span className="card-row">
          <PhaseBadge phase={rollout.phase} /> <VerdictBadge verdict={verdict} large />
        </span>
        <span className="card-row muted">
          {waiting ? 'waiting at a gate · ' : rollout.operation ? `${rollout.operation} under way · ` : ''}
          age {formatDuration(ageSeconds(rollout.createdAt, now))}
        </span>
        <span className="card-row muted card-image">{rollout.canaryImage}</span>
      </Link>
    </li>
  );
}
