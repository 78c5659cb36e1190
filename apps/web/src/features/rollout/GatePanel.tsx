import type { GateResult } from '@aviary/contracts';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { formatTime } from '../../lib/format.ts';
import { CheckTable } from './CheckTable.tsx';
import { toGateView } from './transforms.ts';

/** The gate at the current step: verdict, the numbers behind it, and how long until it knows. */
export function GatePanel({ gate }: { gate: GateResult }) {
  const view = toGateView(gate);
  return (
    <section className={`gate gate-${view.state}`} aria-labelledby="gate-title" data-gate-state={view.state}>
      <header className="gate-head">
        <h2 id="gate-title">Gate</h2>
        <VerdictBadge verdict={view.verdict} large />
      </header>
      <p className="gate-headline">{view.headline}</p>
      <p className="gate-summary">{view.summary}</p>
      <dl className="gate-facts">
        <div>
          <dt>Canary samples so far</dt>
          <dd data-fact="samples">{view.samplesSoFar}</dd>
        </div>
        {view.samplesNeeded ? (
          <div>
            <dt>Samples still needed</dt>
            <dd data-fact="samples-needed">{view.samplesNeeded}</dd>
          </div>
        ) : null}
        <div>
          <dt>Canary traffic</dt>
          <dd>{view.requestRate}</dd>
        </div>
        {view.bakeLeft ? (
          <div>
            <dt>Bake time left</dt>
            <dd data-fact="bake-left">{view.bakeLeft}</dd>
          </div>
        ) : null}
        {view.timeToSignificance ? (
          <div>
            <dt>Time to significance</dt>
            <dd data-fact="eta">~{view.timeToSignificance}</dd>
          </div>
        ) : null}
        <div>
          <dt>Evaluated</dt>
          <dd>{formatTime(view.evaluatedAt)}</dd>
        </div>
      </dl>
      {view.checks.length ? <CheckTable checks={view.checks} /> : null}
    </section>
  );
}
