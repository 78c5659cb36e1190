import type { ActionRequest, GateResult, Rollout } from '@aviary/contracts';
import { type FormEvent, useId, useState } from 'react';
import { useRolloutAction } from '../../api/mutations.ts';
import { Dialog } from '../../components/Dialog.tsx';
import type { ActionButton } from './actions.ts';
import { ErrorState } from '../../components/StatusMessage.tsx';

interface Props {
  action: ActionButton;
  rollout: Rollout;
  gate: GateResult | undefined;
  onClose: () => void;
}

function effect(type: ActionButton['type'], rollout: Rollout, weight: number): string {
  switch (type) {
    case 'step':
      return `Moves the canary from ${rollout.weight}% to ${weight}% of traffic.`;
    case 'set-weight':
      return `Sets the canary to ${weight}% of traffic (now ${rollout.weight}%).`;
    case 'promote':
      return `Makes ${rollout.canaryImage} the stable version for all traffic and removes the canary.`;
    case 'rollback':
      return `Sends all traffic back to ${rollout.stableImage} and removes the canary. This ends the rollout.`;
    default:
      return '';
  }
}

/** Confirm a dangerous action with a reason; spell out exactly which gate checks an override overrules. */
export function ActionDialog({ action, rollout, gate, onClose }: Props) {
  const mutation = useRolloutAction(rollout.id);
  const [reason, setReason] = useState('');
  const [weight, setWeight] = useState(action.toWeight ?? rollout.weight);
  const reasonId = useId();
  const weightId = useId();
  // The API said whether the gate holds this action back; lowering the weight it never does.
  const overriding = action.override && (action.type !== 'set-weight' || weight > rollout.weight);
  const reasonRequired = overriding || action.type === 'rollback' || action.type === 'promote';
  const blocking = gate ? gate.checks.filter((c) => c.verdict !== 'pass') : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const request: ActionRequest = {
      type: action.type,
      expectedVersion: rollout.version,
      ...(action.type === 'set-weight' ? { weight } : {}),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(overriding ? { override: true } : {}),
    };
    mutation.mutate(request, { onSuccess: onClose });
  };
  const verb = overriding
    ? `Override and ${action.label.toLowerCase()}`
    : `Confirm: ${action.label.toLowerCase()}`;

  return (
    <Dialog
      title={`${action.label}: ${rollout.target.namespace}/${rollout.target.service}`}
      onClose={onClose}
    >
      <form onSubmit={submit} className="action-form">
        {action.type === 'set-weight' ? (
          <div className="field">
            <label htmlFor={weightId}>Canary weight (%)</label>
            <input
              id={weightId}
              type="number"
              min={0}
              max={100}
              step={1}
              value={weight}
              onChange={(e) => setWeight(Math.max(0, Math.min(100, Math.round(Number(e.target.value)))))}
              required
            />
          </div>
        ) : null}
        <p>{effect(action.type, rollout, weight)}</p>
        {action.needsApproval ? (
          <p className="policy-note" data-testid="needs-approval">
            This target has the two-person rule: your request waits for a second operator to approve it, and
            nothing changes until they do.
          </p>
        ) : null}
        {overriding ? (
          <div className="override-warning" role="alert" data-testid="override-warning">
            <strong>
              You are overriding a gate that is {gate?.verdict ?? 'not evaluated'}
              {gate ? '' : ' (no result yet)'}.
            </strong>
            {blocking.length ? (
              <>
                <p>These checks have not passed; your override and reason are recorded with them:</p>
                <ul>
                  {blocking.map((c) => (
                    <li key={c.name}>
                      <strong>
                        {c.name} ({c.verdict})
                      </strong>
                      : {c.explanation}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{gate?.summary ?? 'The gate has not evaluated this step yet.'}</p>
            )}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={reasonId}>
            Reason{reasonRequired ? ' (required, kept in the history)' : ' (optional)'}
          </label>
          <textarea
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required={reasonRequired}
            rows={3}
            maxLength={2000}
            placeholder={overriding ? 'Why is it safe to go on without a passing gate?' : 'Why?'}
          />
        </div>
        {mutation.error ? <ErrorState error={mutation.error} /> : null}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={action.type === 'rollback' || overriding ? 'danger' : 'primary'}
            disabled={mutation.isPending || (reasonRequired && !reason.trim())}
          >
            {mutation.isPending ? 'Working…' : verb}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
