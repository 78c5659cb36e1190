import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { ageSeconds, formatDuration } from '../../lib/format.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import type { OverviewItem } from './overview.ts';

/** One active rollout, readable from across the room. Links to its page; has no buttons. */
export function ActiveRolloutCard({ item, now }: { item: OverviewItem; now: number }) {
  const { rollout, verdict, waiting, approval } = item;
  return (
    <li
      className={`card${waiting || approval ? ' card-waiting' : ''}${approval ? ' card-approval' : ''}`}
      data-rollout={rollout.id}
      data-approval={approval ? 'pending' : undefined}
    >
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
        {approval ? (
          <span className="card-row card-approval-note" data-testid="awaiting-approval">
            waiting for approval · {approval.requestedBy} asked to {approval.action.type}{' '}
            {formatDuration(ageSeconds(approval.requestedAt, now))} ago
          </span>
        ) : null}
        <span className="card-row muted">
          {approval
            ? ''
            : waiting
              ? 'waiting at a gate · '
              : rollout.operation
                ? `${rollout.operation} under way · `
                : ''}
          age {formatDuration(ageSeconds(rollout.createdAt, now))}
        </span>
        <span className="card-row muted card-image">{rollout.canaryImage}</span>
      </Link>
    </li>
  );
}
