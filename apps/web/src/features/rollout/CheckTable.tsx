import { type Column, DataTable } from '../../components/DataTable.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import { type MetricCells, type MetricPresentation, metricCells } from './gate-presentation.ts';

type Row = MetricPresentation & { cells: MetricCells };

const columns: readonly Column<Row>[] = [
  { id: 'name', label: 'Metric', getValue: (m) => m.title },
  {
    id: 'verdict',
    label: 'Verdict',
    getValue: (m) => m.verdict,
    render: (m) => <VerdictBadge verdict={m.verdict} />,
  },
  { id: 'canary', label: 'Canary', getValue: (m) => m.cells.canary },
  { id: 'stable', label: 'Stable', getValue: (m) => m.cells.stable },
  { id: 'allowance', label: 'Allowed', getValue: (m) => m.cells.allowance },
  { id: 'counts', label: 'Counts', getValue: (m) => m.cells.counts },
  { id: 'samples', label: 'Samples', getValue: (m) => m.cells.samples },
];

/** Each metric's numbers (the same cells as its tile), with the gate's sentence underneath. */
export function CheckTable({ metrics }: { metrics: MetricPresentation[] }) {
  const rows = metrics.map((m) => ({ ...m, cells: metricCells(m) }));
  return (
    <>
      {/* The panel is narrow beside the charts: the table scrolls rather than spill out. */}
      <div className="table-scroll">
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(m) => m.name}
          caption="Gate checks"
          empty="No checks"
        />
      </div>
      <ul className="explanations">
        {rows.map((m) => (
          <li key={m.name} data-check={m.name}>
            <strong>{m.title}:</strong> {m.explanation}
            {m.cells.stillPossible ? (
              <span className="still-possible"> ({m.cells.stillPossible})</span>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
