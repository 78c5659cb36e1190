import type { StreamStatus } from '../api/stream.ts';

const labels: Record<StreamStatus, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
};

const titles: Record<StreamStatus, string> = {
  connecting: 'Opening the live stream',
  live: 'Charts and gates update live',
  reconnecting: 'Lost the live stream; reconnecting by itself. What you see may be out of date.',
};

export function StreamIndicator({ status }: { status: StreamStatus }) {
  return (
    <span className={`stream stream-${status}`} role="status" title={titles[status]} data-stream={status}>
      <span className="stream-dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
