import type { RolloutPhase } from '@aviary/contracts';

export function PhaseBadge({ phase }: { phase: RolloutPhase }) {
  return (
    <span className={`badge phase-${phase}`} data-phase={phase}>
      {phase}
    </span>
  );
}
