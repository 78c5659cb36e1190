import type { GateResult } from '@aviary/contracts';
import { useMemo } from 'react';
import { useMetrics } from '../../api/queries.ts';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { MetricChart } from './MetricChart.tsx';
import { chartGate } from './gate-thresholds.ts';
import { toChartModels } from './transforms.ts';

/** Every chart of a rollout: fetched once, then extended by the stream's points; lines from the live gate. */
export function RolloutCharts({
  id,
  at,
  gate,
}: {
  id: string;
  at: string | null;
  gate?: GateResult | undefined;
}) {
  const metrics = useMetrics(id);
  const models = useMemo(
    () => (metrics.data ? toChartModels(metrics.data, at, chartGate(gate, metrics.data.thresholds)) : []),
    [metrics.data, at, gate],
  );
  if (metrics.isPending) return <Loading what="charts" />;
  if (metrics.isError) return <ErrorState error={metrics.error} retry={() => void metrics.refetch()} />;
  const empty = models.every((m) => !m.hasData.canary && !m.hasData.stable);
  return (
    <section className="charts" aria-label="Canary vs stable charts">
      {empty ? (
        <p className="muted">
          No samples yet: the first points arrive one gate interval after the canary takes traffic (needs
          Prometheus).
        </p>
      ) : null}
      <div className="chart-grid">
        {models.map((m) => (
          <MetricChart key={m.key} model={m} />
        ))}
      </div>
    </section>
  );
}
