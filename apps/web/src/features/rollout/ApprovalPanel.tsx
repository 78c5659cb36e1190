import type { Approval, Rollout } from '@aviary/contracts';
import { useApprove, useWithdraw } from '../../api/policies.ts';
import { useAccess } from '../../auth/useAccess.ts';
import { formatDateTime } from '../../lib/format.ts';
import { approveDenial, describeRequest, withdrawDenial } from './policy.ts';
import { ErrorState } from '../../components/StatusMessage.tsx';

/**
 * A request waiting for a second operator (two-person rule): what was asked, by whom, when and
 * why; Approve for another operator, Withdraw for the requester or an admin. Disabled buttons
 * say why, visibly.
 */
export function ApprovalPanel({ approval, rollout }: { approval: Approval; rollout: Rollout }) {
  const { me } = useAccess();
  const approve = useApprove();
  const withdraw = useWithdraw();
  const cannotApprove = approveDenial(me, approval);
  const cannotWithdraw = withdrawDenial(me, approval);
  const busy = approve.isPending || withdraw.isPending;
  const failure = approve.error ?? withdraw.error;
  return (
    <section
      className="approval-panel"
      aria-labelledby="approval-title"
      data-testid="approval-panel"
      data-approval={approval.id}
    >
      <h2 id="approval-title">Waiting for approval</h2>
      <p data-testid="approval-request">
        <strong>{approval.requestedBy}</strong> asked to{' '}
        <strong>{describeRequest(approval.action, rollout)}</strong> at{' '}
        <time dateTime={approval.requestedAt}>{formatDateTime(approval.requestedAt)}</time>. Nothing has
        changed yet: a second operator must approve.
      </p>
      {approval.action.reason ? (
        <p className="reason" data-testid="approval-reason">
          “{approval.action.reason}”
        </p>
      ) : null}
      <div className="action-buttons">
        <div className="action">
          <button
            type="button"
            className="primary"
            data-testid="approve"
            disabled={cannotApprove !== null || busy}
            title={cannotApprove ?? 'Approve: the requested action runs now, recorded in your name'}
            aria-describedby={cannotApprove ? 'why-approve' : undefined}
            onClick={() => approve.mutate(approval)}
          >
            {approve.isPending ? 'Approving…' : 'Approve'}
          </button>
          {cannotApprove ? (
            <span className="why" id="why-approve" data-testid="why-approve">
              {cannotApprove}
            </span>
          ) : null}
        </div>
        <div className="action">
          <button
            type="button"
            data-testid="withdraw"
            disabled={cannotWithdraw !== null || busy}
            title={cannotWithdraw ?? 'Withdraw the request; nothing changes'}
            aria-describedby={cannotWithdraw ? 'why-withdraw' : undefined}
            onClick={() => withdraw.mutate(approval)}
          >
            {withdraw.isPending ? 'Withdrawing…' : 'Withdraw'}
          </button>
          {cannotWithdraw ? (
            <span className="why" id="why-withdraw">
              {cannotWithdraw}
            </span>
          ) : null}
        </div>
      </div>
      {failure ? <ErrorState error={failure} /> : null}
    </section>
  );
}
