import type { Rollout } from '@aviary/contracts';
import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { ExportButtons } from './ExportButtons.tsx';

export function RolloutHeader({ rollout }: { rollout: Rollout }) {
  return (
    <header className="rollout-header">
      <div>
        <h1>
          {rollout.target.namespace}/{rollout.target.service} <PhaseBadge phase={rollout.phase} />
        </h1>
        <p className="muted">
          <code>{rollout.stableImage}</code> → <code>{rollout.canaryImage}</code> · started{' '}
          {formatDateTime(rollout.createdAt)} by {rollout.createdBy}
          {rollout.operation ? ` · ${rollout.operation} under way…` : ''}
        </p>
        {rollout.reason ? <p className="reason">“{rollout.reason}”</p> : null}
      </div>
      <ExportButtons rollout={rollout} />
    </header>
  );
}
