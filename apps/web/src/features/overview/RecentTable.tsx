import type { Rollout } from '@aviary/contracts';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { ageSeconds, formatDuration } from '../../lib/format.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';

const columns = (now: number): Column<Rollout>[] => [
  {
    id: 'target',
    label: 'Target',
    getValue: (r) => `${r.target.namespace}/${r.target.service}`,
    render: (r) => <Link to={hrefs.rollout(r.id)}>{`${r.target.namespace}/${r.target.service}`}</Link>,
  },
  {
    id: 'outcome',
    label: 'Outcome',
    getValue: (r) => r.phase,
    render: (r) => <PhaseBadge phase={r.phase} />,
  },
  { id: 'image', label: 'Image', getValue: (r) => r.canaryImage },
  {
    id: 'ended',
    label: 'Ended',
    getValue: (r) => r.updatedAt,
    render: (r) => `${formatDuration(ageSeconds(r.updatedAt, now))} ago`,
  },
];

export function RecentTable({ rollouts, now }: { rollouts: Rollout[]; now: number }) {
  return (
    <DataTable
      columns={columns(now)}
      rows={rollouts}
      rowKey={(r) => r.id}
      caption="Recently finished rollouts"
      empty="No rollout has finished yet."
    />
  );
}
