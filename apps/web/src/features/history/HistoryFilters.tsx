import { type RolloutPhase, rolloutPhases } from '@aviary/contracts';
import type { HistoryFilter } from './filters.ts';

interface Props {
  filter: HistoryFilter;
  targets: string[];
  onChange: (filter: HistoryFilter) => void;
}

export function HistoryFilters({ filter, targets, onChange }: Props) {
  const set = <K extends keyof HistoryFilter>(key: K, value: HistoryFilter[K]) =>
    onChange({ ...filter, [key]: value });
  return (
    <form className="filters" aria-label="Filter rollouts" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="f-target">Target</label>
        <select id="f-target" value={filter.target} onChange={(e) => set('target', e.target.value)}>
          <option value="">all targets</option>
          {targets.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-phase">Phase</label>
        <select
          id="f-phase"
          value={filter.phase}
          onChange={(e) => set('phase', e.target.value as RolloutPhase | '')}
        >
          <option value="">any phase</option>
          {rolloutPhases.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-from">From (UTC day)</label>
        <input id="f-from" type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="f-to">To (UTC day)</label>
        <input id="f-to" type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="f-actor">Started by</label>
        <input
          id="f-actor"
          type="search"
          value={filter.actor}
          onChange={(e) => set('actor', e.target.value)}
        />
      </div>
    </form>
  );
}
