import { finalPhases } from '@aviary/contracts';
import { Suspense, lazy } from 'react';
import { useGate, useMetrics, useRollout } from '../../api/queries.ts';
import { Empty, ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { ActionBar } from './ActionBar.tsx';
import { GatePanel } from './GatePanel.tsx';
import { PlanSteps } from './PlanSteps.tsx';
import { RolloutHeader } from './RolloutHeader.tsx';
import { Timeline } from './Timeline.tsx';

// recharts is most of the bundle: load it after the page's own numbers are on screen.
let chartsModule: Promise<typeof import('./RolloutCharts.tsx')> | undefined;
const loadCharts = () => {
  chartsModule ??= import('./RolloutCharts.tsx');
  return chartsModule;
};
const RolloutCharts = lazy(() => loadCharts().then((m) => ({ default: m.RolloutCharts })));

/** The release manager's screen at a gate; for a finished rollout, the on-call's replay. */
export function RolloutPage({ id, at }: { id: string; at: string | null }) {
  // Start the chart code and data at once, in parallel with the rollout itself.
  void loadCharts();
  useMetrics(id);
  const rollout = useRollout(id);
  const finished = rollout.data ? finalPhases.includes(rollout.data.phase) : false;
  const gate = useGate(id, rollout.isSuccess && !finished);
  if (rollout.isPending) return <Loading what="rollout" />;
  if (rollout.isError) return <ErrorState error={rollout.error} retry={() => void rollout.refetch()} />;
  const r = rollout.data;
  return (
    <div className="rollout-page">
      <RolloutHeader rollout={r} />
      <div className="rollout-grid">
        <Suspense fallback={<Loading what="charts" />}>
          <RolloutCharts id={id} at={at} />
        </Suspense>
        <aside className="rollout-side">
          {finished ? (
            <Empty>
              This rollout is {r.phase}: there is no gate any more. The charts replay stored data.
            </Empty>
          ) : gate.data ? (
            <GatePanel gate={gate.data} />
          ) : gate.isError ? (
            <ErrorState error={gate.error} retry={() => void gate.refetch()} />
          ) : (
            <Loading what="gate" />
          )}
          <ActionBar rollout={r} gate={gate.data} />
          <PlanSteps rollout={r} />
        </aside>
      </div>
      <Timeline id={id} at={at} />
    </div>
  );
}
