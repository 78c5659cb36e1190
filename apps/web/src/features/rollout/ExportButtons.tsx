import type { Rollout } from '@aviary/contracts';
import { useQueryClient } from '@tanstack/react-query';
import type { EventList, GateResult, MetricsResponse } from '@aviary/contracts';
import { queryKeys } from '../../api/queryKeys.ts';
import { downloadText } from '../../lib/download.ts';
import { type ReportInput, reportFileName, toJsonExport, toMarkdownReport } from './report.ts';

/** Export what the page shows: the cached rollout, its events, gate and chart data. */
export function ExportButtons({ rollout }: { rollout: Rollout }) {
  const client = useQueryClient();
  const input = (): ReportInput => ({
    rollout,
    events: client.getQueryData<EventList>(queryKeys.events(rollout.id))?.items ?? [],
    gate: client.getQueryData<GateResult>(queryKeys.gate(rollout.id)),
    metrics: client.getQueryData<MetricsResponse>(queryKeys.metrics(rollout.id)),
  });
  return (
    <div className="export">
      <button
        type="button"
        onClick={() =>
          downloadText(
            reportFileName(rollout, 'md'),
            toMarkdownReport(input()),
            'text/markdown;charset=utf-8',
          )
        }
      >
        Export report (Markdown)
      </button>
      <button
        type="button"
        onClick={() =>
          downloadText(
            reportFileName(rollout, 'json'),
            toJsonExport(input()),
            'application/json;charset=utf-8',
          )
        }
      >
        Export JSON
      </button>
    </div>
  );
}
