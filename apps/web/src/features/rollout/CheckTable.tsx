import { type Column, DataTable } from '../../components/DataTable.tsx';
import { VerdictBadge } from '../../components/VerdictBadge.tsx';
import type { CheckRow } from './types.ts';

const columns: readonly Column<CheckRow>[] = [
  { id: 'name', label: 'Check', getValue: (c) => c.name },
  {
    id: 'verdict',
    label: 'Verdict',
    getValue: (c) => c.verdict,
    render: (c) => <VerdictBadge verdict={c.verdict} />,
  },
  { id: 'canary', label: 'Canary', getValue: (c) => c.canary },
  { id: 'stable', label: 'Stable', getValue: (c) => c.stable },
  { id: 'tolerance', label: 'Allowed', getValue: (c) => c.tolerance },
  { id: 'counts', label: 'Bad/total', getValue: (c) => c.counts },
  { id: 'pValue', label: 'p', getValue: (c) => c.pValue },
  { id: 'eta', label: 'Needs', getValue: (c) => c.samplesNeeded, render: (c) => needs(c) },
];

function needs(c: CheckRow): string {
  if (c.verdict === 'pass') return '—';
  if (c.samplesNeeded === '—' && c.timeToSignificance === '—') return '—';
  return `${c.samplesNeeded} (~${c.timeToSignificance})`;
}

/** Each check's numbers, with its plain-language explanation underneath. */
export function CheckTable({ checks }: { checks: CheckRow[] }) {
  return (
    <>
      {/* The panel is narrow beside the charts: the table scrolls rather than spill out. */}
      <div className="table-scroll">
        <DataTable
          columns={columns}
          rows={checks}
          rowKey={(c) => c.name}
          caption="Gate checks"
          empty="No checks"
        />
      </div>
      <ul className="explanations">
        {checks.map((c) => (
          <li key={c.name} data-check={c.name}>
            <strong>{c.name}:</strong> {c.explanation}
          </li>
        ))}
      </ul>
    </>
  );
}
