import type { GateResult } from '@aviary/contracts';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { formatCount, formatDuration, formatTime } from '../../lib/format.ts';
import { CheckTable } from './CheckTable.tsx';
import { MetricTile } from './MetricTile.tsx';
import { presentGate } from './gate-presentation.ts';

/**
 * The gate at the current step: one sentence that decides, then a tile per metric, then the
 * details one click away. Every number comes from the one presentation model.
 */
export function GatePanel({ gate, weight }: { gate: GateResult; weight: number }) {
  const view = presentGate(gate, weight);
  const limiting = view.limiting;
  return (
    <section className={`gate gate-${view.state}`} aria-labelledby="gate-title" data-gate-state={view.state}>
      <header className="gate-head">
        <h2 id="gate-title">Gate</h2>
        <VerdictBadge verdict={view.verdict} large />
      </header>
      <p className="gate-first-line" data-testid="gate-first-line">
        {view.firstLine}
      </p>
      {limiting ? (
        <dl className="gate-facts" data-limiting={limiting.name}>
          <div>
            <dt>Decides last</dt>
            <dd data-fact="limiting">{limiting.title}</dd>
          </div>
          {limiting.samplesNeeded !== null ? (
            <div>
              <dt>Samples still needed</dt>
              <dd data-fact="samples-needed">~{formatCount(limiting.samplesNeeded)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Time to a decision</dt>
            <dd data-fact="eta">
              {limiting.secondsToDecision === null
                ? 'no traffic'
                : `~${formatDuration(limiting.secondsToDecision)}`}
            </dd>
          </div>
        </dl>
      ) : null}
      {view.metrics.length ? (
        <div className="metric-tiles">
          {view.metrics.map((m) => (
            <MetricTile key={m.name} metric={m} />
          ))}
        </div>
      ) : null}
      <details className="gate-details">
        <summary>Details: every check, and the gate's own words</summary>
        <p className="gate-summary">{view.summary}</p>
        <ul className="explanations">
          {view.preconditions.map((c) => (
            <li key={c.name} data-check={c.name}>
              <strong>{c.name}:</strong> {c.explanation}
            </li>
          ))}
        </ul>
        {view.metrics.length ? <CheckTable metrics={view.metrics} /> : null}
        <p className="muted">
          Canary traffic{' '}
          {gate.canaryRequestRate === null ? '—' : `${gate.canaryRequestRate.toFixed(1)} req/s`} · evaluated{' '}
          {formatTime(gate.evaluatedAt)}
        </p>
      </details>
    </section>
  );
}
