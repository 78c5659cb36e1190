import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { type MetricPresentation, metricCells } from './gate-presentation.ts';

/** One metric at a glance: canary against stable in its natural direction, the allowance, the samples. */
export function MetricTile({ metric }: { metric: MetricPresentation }) {
  const cells = metricCells(metric);
  return (
    <article className={`metric-tile tile-${metric.verdict}`} data-tile={metric.name}>
      <h3>
        {metric.title} <VerdictBadge verdict={metric.verdict} />
      </h3>
      <p className="tile-values">
        <span data-cell="canary">canary {cells.canary}</span> ·{' '}
        <span data-cell="stable">stable {cells.stable}</span>
      </p>
      <p className="tile-note">
        difference <span data-cell="difference">{cells.difference}</span>, allowed{' '}
        <span data-cell="allowance">{cells.allowance}</span>
      </p>
      <p className="tile-note" data-cell="samples">
        samples {cells.samples}
      </p>
      {cells.stillPossible ? (
        <p className="tile-note still-possible" data-cell="still-possible">
          {cells.stillPossible}
        </p>
      ) : null}
    </article>
  );
}
