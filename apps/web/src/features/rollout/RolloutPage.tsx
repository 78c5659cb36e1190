import { finalPhases } from '@aviary/contracts';
import { Suspense, lazy } from 'react';
import { usePendingApprovals, usePolicy } from '../../api/policies.ts';
import { useGate, useMetrics, useRollout } from '../../api/queries.ts';
import { Empty, ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { ActionBar } from './ActionBar.tsx';
import { ApprovalPanel } from './ApprovalPanel.tsx';
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
  const policy = usePolicy(
    rollout.data?.target.namespace ?? '',
    rollout.data?.target.service ?? '',
    rollout.isSuccess && !finished,
  );
  const approvals = usePendingApprovals(id, rollout.isSuccess && !finished);
  const pending = finished ? null : (approvals.data?.find((a) => a.status === 'pending') ?? null);
  if (rollout.isPending) return <Loading what="rollout" />;
  if (rollout.isError) return <ErrorState error={rollout.error} retry={() => void rollout.refetch()} />;
  const r = rollout.data;
  return (
    <div className="rollout-page">
      <RolloutHeader rollout={r} />
      <div className="rollout-grid">
        <Suspense fallback={<Loading what="charts" />}>
          <RolloutCharts id={id} at={at} gate={finished ? undefined : gate.data} />
        </Suspense>
        <aside className="rollout-side">
          {finished ? (
            <Empty>
              This rollout is {r.phase}: there is no gate any more. The charts replay stored data.
            </Empty>
          ) : gate.data ? (
            <GatePanel gate={gate.data} weight={r.weight} />
          ) : gate.isError ? (
            <ErrorState error={gate.error} retry={() => void gate.refetch()} />
          ) : (
            <Loading what="gate" />
          )}
          {pending ? <ApprovalPanel approval={pending} rollout={r} /> : null}
          <ActionBar rollout={r} gate={gate.data} policy={policy.data} pending={pending} />
          <PlanSteps rollout={r} />
        </aside>
      </div>
      <Timeline id={id} at={at} />
    </div>
  );
}
