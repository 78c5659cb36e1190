import type { RolloutEvent } from '@aviary/contracts';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import { gateEvidence, weightChange } from './evidence.ts';

/** One history event: who, when, what, why, and the gate evidence it was decided on. */
export function TimelineEntry({ event, selected }: { event: RolloutEvent; selected: boolean }) {
  const evidence = gateEvidence(event);
  return (
    <li
      id={`event-${event.id}`}
      className={`timeline-entry action-${event.action}${selected ? ' selected' : ''}`}
      data-action={event.action}
      aria-current={selected ? 'true' : undefined}
    >
      <div className="timeline-head">
        <Link to={hrefs.rollout(event.rolloutId, event.at)} title="Link to this moment">
          <time dateTime={event.at}>{formatDateTime(event.at)}</time>
        </Link>
        <strong className="timeline-action">{event.action}</strong>
        <span>by {event.actor}</span>
        <span className="muted">weight {weightChange(event)}</span>
        {event.toPhase && event.fromPhase !== event.toPhase ? (
          <span className="muted">→ {event.toPhase}</span>
        ) : null}
        {evidence?.overridden ? <span className="badge badge-fail">gate overridden</span> : null}
      </div>
      {event.reason ? <p className="timeline-reason">“{event.reason}”</p> : null}
      {evidence ? (
        <details className="evidence">
          <summary>
            Gate at the time: <VerdictBadge verdict={evidence.verdict} /> {evidence.summary}
          </summary>
          <ul>
            {evidence.checks.map((c) => (
              <li key={c.name}>
                <strong>{c.name}</strong> ({c.verdict}): {c.explanation}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}
