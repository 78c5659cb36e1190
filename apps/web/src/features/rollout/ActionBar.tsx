import type { Approval, GateResult, Rollout, TargetPolicyView } from '@aviary/contracts';
import { useState } from 'react';
import { useRolloutAction } from '../../api/mutations.ts';
import { useAllowedActions } from '../../api/queries.ts';
import { ErrorState } from '../../components/StatusMessage.tsx';
import { useNow } from '../../lib/useNow.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { type ActionButton, toActionButtons } from './actions.ts';
import { activeFreeze, freezeReason } from './policy.ts';

interface Props {
  rollout: Rollout;
  gate: GateResult | undefined;
  /** The target's policy (two-person rule, freeze windows), once loaded. */
  policy?: TargetPolicyView | undefined;
  /** The approval this rollout waits for, if any. */
  pending?: Approval | null;
}

function buttonClass(a: ActionButton): string | undefined {
  const classes = [a.type === 'rollback' ? 'danger' : '', a.primary ? 'primary' : ''].filter(Boolean);
  return classes.length ? classes.join(' ') : undefined;
}

/**
 * The buttons that move traffic, as the API allows them for this person now. A disabled one
 * says why, in its title and in visible text; the verdict decides which one is primary.
 */
export function ActionBar({ rollout, gate, policy, pending = null }: Props) {
  const allowed = useAllowedActions(rollout.id);
  const mutation = useRolloutAction(rollout.id);
  const [open, setOpen] = useState<ActionButton | null>(null);
  const now = useNow(15_000);
  const frozenWhy = freezeReason(activeFreeze(policy, now) ?? null);
  const actions = toActionButtons(rollout, allowed.data?.actions, gate?.verdict);
  const shared = actions.every((a) => a.reason !== null && a.reason === actions[0]?.reason)
    ? actions[0]?.reason
    : null;

  const press = (a: ActionButton) => {
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
          Two-person rule: a promotion waits for a second operator's approval.
        </p>
      ) : null}
      {shared ? (
        <p className="why" id="actions-why" data-testid="actions-why">
          {shared}
        </p>
      ) : null}
      {allowed.error ? <ErrorState error={allowed.error} retry={() => void allowed.refetch()} /> : null}
      <div className="action-buttons">
        {actions.map((a) => (
          <div key={a.type} className="action">
            <button
              type="button"
              data-action={a.type}
              data-primary={a.primary ? 'true' : undefined}
              className={buttonClass(a)}
              disabled={!a.enabled || mutation.isPending}
              title={
                a.reason ??
                (a.override && a.type !== 'set-weight'
                  ? 'The gate has not passed: this asks you to override it'
                  : a.label)
              }
              aria-describedby={a.reason ? (shared ? 'actions-why' : `why-${a.type}`) : undefined}
              onClick={() => press(a)}
            >
              {a.label}
              {a.override && a.type !== 'set-weight' ? ' (override)…' : a.confirm && a.enabled ? '…' : ''}
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
        <ActionDialog action={open} rollout={rollout} gate={gate} onClose={() => setOpen(null)} />
      ) : null}
    </section>
  );
}
