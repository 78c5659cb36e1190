import { type AuditAction, auditActions } from '@aviary/contracts';
import type { AuditFilter } from './auditFilter.ts';

interface Props {
  filter: AuditFilter;
  onChange: (filter: AuditFilter) => void;
}

export function AuditFilters({ filter, onChange }: Props) {
  const set = <K extends keyof AuditFilter>(key: K, value: AuditFilter[K]) =>
    onChange({ ...filter, [key]: value });
  return (
    <form className="filters" aria-label="Filter audit records" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="a-actor">Actor</label>
        <input
          id="a-actor"
          type="search"
          value={filter.actor}
          placeholder="exact name, e.g. olga"
          onChange={(e) => set('actor', e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="a-action">Action</label>
        <select
          id="a-action"
          value={filter.action}
          onChange={(e) => set('action', e.target.value as AuditAction | '')}
        >
          <option value="">any action</option>
          {auditActions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="a-from">From (UTC day)</label>
        <input id="a-from" type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="a-to">To (UTC day)</label>
        <input id="a-to" type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
      </div>
    </form>
  );
}
