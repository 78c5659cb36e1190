import type { AuditRecord } from '@aviary/contracts';
import { useState } from 'react';
import { describeError } from '../../api/ApiError.ts';
import { fetchAuditCsv } from '../../api/audit.ts';
import { downloadText } from '../../lib/download.ts';
import { type AuditFilter, auditJson, exportName, toAuditQuery } from './auditFilter.ts';

/** CSV from the API (`format=csv`, the whole filtered trail) and JSON of the loaded records. */
export function AuditExports({ filter, records }: { filter: AuditFilter; records: readonly AuditRecord[] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const csv = async () => {
    setBusy(true);
    setError(null);
    try {
      const text = await fetchAuditCsv(toAuditQuery(filter));
      downloadText(exportName('csv', new Date().toISOString()), text, 'text/csv');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const json = () => {
    const at = new Date().toISOString();
    downloadText(exportName('json', at), auditJson(records, filter, at), 'application/json');
  };
  const problem = error ? describeError(error) : null;
  return (
    <div className="exports">
      <button type="button" onClick={() => void csv()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      <button type="button" onClick={json} disabled={records.length === 0}>
        Export JSON
      </button>
      {problem ? (
        <span className="status status-error" role="alert">
          {problem.title}: {problem.message}
        </span>
      ) : null}
    </div>
  );
}
