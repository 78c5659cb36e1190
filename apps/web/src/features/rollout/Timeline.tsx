import { useEffect } from 'react';
import { useEvents } from '../../api/queries.ts';
import { Empty, ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { TimelineEntry } from './TimelineEntry.tsx';
import { eventAt } from './evidence.ts';

/** The rollout's history, oldest first; a deep-linked moment is scrolled to and marked. */
export function Timeline({ id, at }: { id: string; at: string | null }) {
  const events = useEvents(id);
  const selected = events.data ? eventAt(events.data, at) : null;
  const selectedId = selected?.id;
  useEffect(() => {
    if (selectedId === undefined) return;
    document.getElementById(`event-${selectedId}`)?.scrollIntoView?.({ block: 'center' });
  }, [selectedId]);
  return (
    <section aria-labelledby="timeline-title" className="timeline">
      <h2 id="timeline-title">Timeline</h2>
      {events.isPending ? <Loading what="history" /> : null}
      {events.isError ? <ErrorState error={events.error} retry={() => void events.refetch()} /> : null}
      {events.data?.length === 0 ? <Empty>No events recorded yet.</Empty> : null}
      <ol className="timeline-list">
        {events.data?.map((e) => (
          <TimelineEntry key={e.id} event={e} selected={e.id === selectedId} />
        ))}
      </ol>
    </section>
  );
}
