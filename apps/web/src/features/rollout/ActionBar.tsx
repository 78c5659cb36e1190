import type { Approval, GateResult, Rollout, TargetPolicyView } from '@aviary/contracts';
import { useState } from 'react';
import { useRolloutAction } from '../../api/mutations.ts';
import { useAccess } from '../../auth/useAccess.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { useNow } from '../../lib/useNow.ts';
import { type ActionAvailability, availableActions } from './actions.ts';
import { activeFreeze, freezeReason, fullTrafficBlock } from './policy.ts';
import { ErrorState } from '../../components/StatusMessage.tsx';

interface Props {
  rollout: Rollout;
  gate: GateResult | undefined;
  /** The target's policy (two-person rule, freeze windows), once loaded. */
  policy?: TargetPolicyView | undefined;
  /** The approval this rollout waits for, if any. */
  pending?: Approval | null;
}

/** The buttons that move traffic. A disabled one says why, in its title and in visible text. */
export function ActionBar({ rollout, gate, policy, pending = null }: Props) {
  const denied = useAccess().denial('act');
  const mutation = useRolloutAction(rollout.id);
  const [open, setOpen] = useState<ActionAvailability | null>(null);
  const now = useNow(15_000);
  const frozen = activeFreeze(policy, now);
  const frozenWhy = freezeReason(frozen ?? null);
  const actions = availableActions(rollout, gate, denied, fullTrafficBlock(pending, frozenWhy));
  const shared = actions.every((a) => a.reason !== null && a.reason === actions[0]?.reason)
    ? actions[0]?.reason
    : null;

  const press = (a: ActionAvailability) => {
    if (a.confirm) setOpen(a);
    else mutation.mutate({ type: a.type, expectedVersion: rollout.version });
  };

  return (
    <section className="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {frozenWhy ? (
        <p className="policy-note frozen" data-testid="freeze-state" role="note">
          <strong>Frozen.</strong> {frozenWhy}.
        </p>
      ) : null}
      {policy?.requireApproval && !pending ? (
        <p className="policy-note muted" data-testid="two-person-rule">
          Two-person rule: promotion (or a step to 100%) waits for a second operator's approval.
        </p>
      ) : null}
      {shared ? (
        <p className="why" id="actions-why" data-testid="actions-why">
          {shared}
        </p>
      ) : null}
      <div className="action-buttons">
        {actions.map((a) => (
          <div key={a.type} className="action">
            <button
              type="button"
              data-action={a.type}
              className={a.type === 'rollback' ? 'danger' : a.type === 'promote' ? 'primary' : undefined}
              disabled={!a.enabled || mutation.isPending}
              title={
                a.reason ?? (a.override ? 'The gate has not passed: this asks you to override it' : a.label)
              }
              aria-describedby={a.reason ? (shared ? 'actions-why' : `why-${a.type}`) : undefined}
              onClick={() => press(a)}
            >
              {a.label}
              {a.enabled && a.override ? ' (override)…' : a.confirm && a.enabled ? '…' : ''}
            </button>
            {a.reason && !shared ? (
              <span className="why" id={`why-${a.type}`}>
                {a.reason}
              </span>
            ) : null}
          </div>
        ))}
      </div>
      {mutation.error ? <ErrorState error={mutation.error} /> : null}
      {open ? (
        <ActionDialog
          action={open}
          rollout={rollout}
          gate={gate}
          needsApproval={policy?.requireApproval ?? false}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </section>
  );
}
