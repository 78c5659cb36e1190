import { usePendingApprovals } from '../../api/policies.ts';
import { useGateVerdicts, useRolloutList } from '../../api/queries.ts';
import { Empty, ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { useNow } from '../../lib/useNow.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';
import { ActiveRolloutCard } from './ActiveRolloutCard.tsx';
import { RecentTable } from './RecentTable.tsx';
import { approvalsByRollout, recentFinished, sortActive } from './overview.ts';

/** The stakeholder's big screen: every namespace, read-only, updated live by the stream. */
export function OverviewPage() {
  const active = useRolloutList({ active: true, limit: 200 });
  const recent = useRolloutList({ limit: 30 });
  const now = useNow();
  const verdicts = useGateVerdicts((active.data ?? []).map((r) => r.id));
  const approvals = usePendingApprovals(null);
  const items = sortActive(active.data ?? [], verdicts, approvalsByRollout(approvals.data));
  return (
    <div className="overview">
      <section aria-labelledby="active-title">
        <h1 id="active-title">Active rollouts</h1>
        {active.isPending ? <Loading what="active rollouts" /> : null}
        {active.isError ? <ErrorState error={active.error} retry={() => void active.refetch()} /> : null}
        {active.isSuccess && items.length === 0 ? (
          <Empty>
            No canary is running in any namespace. <Link to={hrefs.newRollout()}>Start one</Link>.
          </Empty>
        ) : null}
        <ul className="cards">
          {items.map((item) => (
            <ActiveRolloutCard key={item.rollout.id} item={item} now={now} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">Recently finished</h2>
        {recent.isError ? <ErrorState error={recent.error} retry={() => void recent.refetch()} /> : null}
        {recent.isSuccess ? <RecentTable rollouts={recentFinished(recent.data)} now={now} /> : null}
      </section>
    </div>
  );
}
