import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatTime } from '../../lib/format.ts';
import type { ChartModel, SeriesUnit } from './types.ts';

export const seriesColors = { canary: '#e8590c', stable: '#1c7ed6', weight: '#868e96', marker: '#9c36b5' };

const formatValue = (unit: SeriesUnit) => (v: number) =>
  unit === 'percent' ? `${v.toFixed(v >= 10 ? 0 : 2)}%` : `${Math.round(v)} ms`;
const formatAxisTime = (t: number) => formatTime(new Date(t).toISOString());

/** Draws one metric, canary against stable, with the weight on a second axis. Only draws. */
export function MetricChart({ model, height = 220 }: { model: ChartModel; height?: number }) {
  const fmt = formatValue(model.unit);
  return (
    <figure
      className="chart"
      data-testid={`chart-${model.key}`}
      aria-label={`${model.title}: canary vs stable`}
    >
      <figcaption>
        {model.title}
        {model.hasData.canary || model.hasData.stable ? null : <span className="muted"> · no data yet</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={model.rows} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={model.domain}
            tickFormatter={formatAxisTime}
            stroke="var(--muted)"
            fontSize={11}
          />
          <YAxis yAxisId="value" tickFormatter={fmt} width={56} stroke="var(--muted)" fontSize={11} />
          <YAxis
            yAxisId="weight"
            orientation="right"
            domain={[0, 100]}
            tickFormatter={(v: number) => `${v}%`}
            width={40}
            stroke={seriesColors.weight}
            fontSize={11}
          />
          <Tooltip
            labelFormatter={(t) => formatAxisTime(Number(t))}
            formatter={(v, name) =>
              String(name).startsWith('canary weight') ? `${String(v)}%` : fmt(Number(v))
            }
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line
            yAxisId="value"
            dataKey="stable"
            name="stable"
            className="series-stable"
            stroke={seriesColors.stable}
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            yAxisId="value"
            dataKey="canary"
            name="canary"
            className="series-canary"
            stroke={seriesColors.canary}
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          {model.thin ? (
            <Line
              yAxisId="value"
              dataKey="canaryThin"
              name={`canary (thin: n=${model.thin.n})`}
              className="series-canary-thin"
              stroke={seriesColors.canary}
              strokeWidth={2}
              strokeDasharray="3 4"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ) : null}
          {model.thin ? (
            <ReferenceDot
              yAxisId="value"
              x={model.thin.t}
              y={model.thin.value}
              r={3}
              fill={seriesColors.canary}
              stroke="none"
              className="thin-n"
              label={{
                value: `n=${model.thin.n}`,
                position: 'left',
                fontSize: 11,
                fill: seriesColors.canary,
              }}
            />
          ) : null}
          <Line
            yAxisId="weight"
            dataKey="weight"
            name="canary weight (right axis)"
            className="series-weight"
            type="stepAfter"
            stroke={seriesColors.weight}
            strokeDasharray="4 3"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          {model.thresholds.map((line) => (
            <ReferenceLine
              key={line.label}
              yAxisId="value"
              y={line.value}
              stroke="#e03131"
              strokeDasharray="6 3"
              className="threshold"
              label={{ value: line.label, position: 'insideTopRight', fontSize: 11, fill: '#e03131' }}
            />
          ))}
          {model.markers.map((m) => (
            <ReferenceLine
              key={`${m.t}-${m.action}`}
              yAxisId="value"
              x={m.t}
              stroke={seriesColors.marker}
              className={`marker marker-${m.action}`}
              label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: seriesColors.marker }}
            />
          ))}
          {model.highlight !== null ? (
            <ReferenceLine
              yAxisId="value"
              x={model.highlight}
              stroke="#f08c00"
              strokeWidth={3}
              className="marker-highlight"
              label={{ value: 'selected moment', position: 'insideBottomLeft', fontSize: 10 }}
            />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
