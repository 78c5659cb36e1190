import { weekdays } from '@aviary/contracts';
import { type FormEvent, useId, useState } from 'react';
import { usePolicy, useUpdatePolicy } from '../../api/policies.ts';
import { useAccess } from '../../auth/useAccess.ts';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useNow } from '../../lib/useNow.ts';
import { activeFreeze, describeWindow, freezeReason } from '../rollout/policy.ts';
import {
  type Day,
  type FieldErrors,
  type PolicyDraft,
  type WindowDraft,
  apiFieldErrors,
  errorFor,
  fromDraft,
  newWindow,
  toDraft,
  validateDraft,
} from './policyForm.ts';

const dayLabel: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** A target's policy: the two-person rule and change-freeze windows; admins edit it in place. */
export function PolicyView({ namespace, service }: { namespace: string; service: string }) {
  const policy = usePolicy(namespace, service);
  const access = useAccess();
  const [editing, setEditing] = useState(false);
  const now = useNow(30_000);
  const title = `${namespace}/${service}`;
  if (policy.isPending) return <Loading what={`the policy of ${title}`} />;
  if (policy.isError) return <ErrorState error={policy.error} retry={() => void policy.refetch()} />;
  const p = policy.data;
  const frozen = freezeReason(activeFreeze(p, now) ?? null);
  const editDenied = access.denial('edit-policy');
  return (
    <section className="policy card" aria-label={`Policy of ${title}`} data-target={title}>
      <h3>{title}</h3>
      <p className="muted">
        {p.updatedBy
          ? `set by ${p.updatedBy}${p.updatedAt ? ` at ${formatDateTime(p.updatedAt)}` : ''}`
          : 'defaults'}
      </p>
      {editing ? (
        <PolicyEditor
          namespace={namespace}
          service={service}
          initial={toDraft(p)}
          onDone={() => setEditing(false)}
        />
      ) : (
        <>
          <dl>
            <dt>Two-person rule</dt>
            <dd data-testid="policy-approval">
              {p.requireApproval ? 'on: promotion needs a second operator' : 'off'}
            </dd>
            <dt>Promotion threshold</dt>
            <dd data-testid="policy-threshold">
              {`${p.promotionThreshold}%: any move of the canary to ${p.promotionThreshold}% or above counts as a promotion`}
            </dd>
            <dt>Change freezes</dt>
            <dd>
              {p.freezeWindows.length === 0 ? (
                'none'
              ) : (
                <ul className="freeze-windows">
                  {p.freezeWindows.map((w, i) => (
                    <li key={i}>
                      {describeWindow(w)}
                      {w.reason ? ` — ${w.reason}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          {frozen ? (
            <p className="policy-note frozen" data-testid="policy-frozen">
              {frozen}.
            </p>
          ) : null}
          {editDenied ? null : (
            <button type="button" onClick={() => setEditing(true)}>
              Edit policy
            </button>
          )}
        </>
      )}
    </section>
  );
}

function PolicyEditor({
  namespace,
  service,
  initial,
  onDone,
}: {
  namespace: string;
  service: string;
  initial: PolicyDraft;
  onDone: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdatePolicy(namespace, service);
  const approvalId = useId();
  const thresholdId = useId();

  const setWindow = (index: number, patch: Partial<WindowDraft>) =>
    setDraft((d) => ({ ...d, windows: d.windows.map((w, i) => (i === index ? { ...w, ...patch } : w)) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = validateDraft(draft);
    setErrors(local);
    if (Object.keys(local).length) return;
    update.mutate(fromDraft(draft), {
      onSuccess: onDone,
      onError: (err) => setErrors(apiFieldErrors(err)),
    });
  };
  const general = errors[''] ?? errorFor(errors, 'freezeWindows') ?? undefined;
  const generalShown = general && !Object.keys(errors).some((k) => /^freezeWindows\.\d/.test(k));
  const failure = Object.keys(errors).length ? null : update.error;

  return (
    <form
      className="policy-form"
      onSubmit={submit}
      noValidate
      aria-label={`Edit policy of ${namespace}/${service}`}
    >
      <div className="field field-inline">
        <input
          id={approvalId}
          type="checkbox"
          checked={draft.requireApproval}
          onChange={(e) => setDraft((d) => ({ ...d, requireApproval: e.target.checked }))}
        />
        <label htmlFor={approvalId}>Require approval: promotion waits for a second operator</label>
        <FieldError message={errors.requireApproval} />
      </div>
      <div className="field">
        <label htmlFor={thresholdId}>
          Promotion threshold (%): a move of the canary to this weight or above counts as a promotion
        </label>
        <input
          id={thresholdId}
          type="number"
          inputMode="numeric"
          min={1}
          max={100}
          value={draft.promotionThreshold}
          aria-invalid={errors.promotionThreshold ? true : undefined}
          onChange={(e) => setDraft((d) => ({ ...d, promotionThreshold: e.target.value }))}
        />
        <FieldError message={errors.promotionThreshold} />
      </div>
      <fieldset>
        <legend>Change-freeze windows (no promotion; rollback always allowed)</legend>
        {draft.windows.map((w, i) => (
          <WindowFields
            key={i}
            index={i}
            window={w}
            errors={errors}
            onChange={(patch) => setWindow(i, patch)}
            onRemove={() => setDraft((d) => ({ ...d, windows: d.windows.filter((_, j) => j !== i) }))}
          />
        ))}
        <button
          type="button"
          onClick={() => setDraft((d) => ({ ...d, windows: [...d.windows, newWindow()] }))}
        >
          Add freeze window
        </button>
      </fieldset>
      {generalShown ? <FieldError message={general} /> : null}
      {failure ? <ErrorState error={failure} /> : null}
      <div className="dialog-buttons">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save policy'}
        </button>
      </div>
    </form>
  );
}

function FieldError({ message, id }: { message: string | undefined; id?: string }) {
  return message ? (
    <span className="field-error" role="alert" id={id}>
      {message}
    </span>
  ) : null;
}

function WindowFields({
  index,
  window: w,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  window: WindowDraft;
  errors: FieldErrors;
  onChange: (patch: Partial<WindowDraft>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const path = `freezeWindows.${index}`;
  const err = (p: string) => errorFor(errors, `${path}.${p}`);
  const exact = (p: string) => errors[`${path}.${p}`];
  const n = index + 1;
  const days = (value: Day, set: (d: Day) => void, label: string, fid: string) => (
    <select id={fid} value={value} onChange={(e) => set(e.target.value as Day)} aria-label={label}>
      {weekdays.map((d) => (
        <option key={d} value={d}>
          {dayLabel[d]}
        </option>
      ))}
    </select>
  );
  const windowError = errors[path];
  return (
    <fieldset className="freeze-window" data-window={index} aria-label={`Freeze window ${n}`}>
      <div className="field">
        <label htmlFor={`${id}-tz`}>Time zone (window {n})</label>
        <input
          id={`${id}-tz`}
          value={w.timezone}
          onChange={(e) => onChange({ timezone: e.target.value })}
          placeholder="Europe/Berlin"
          aria-invalid={err('timezone') ? true : undefined}
        />
        <FieldError message={err('timezone')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-sd`}>Starts (window {n})</label>
        <span className="field-row">
          {days(w.startDay, (startDay) => onChange({ startDay }), `Start day (window ${n})`, `${id}-sd`)}
          <input
            type="time"
            value={w.startTime}
            onChange={(e) => onChange({ startTime: e.target.value })}
            aria-label={`Start time (window ${n})`}
            aria-invalid={err('start') ? true : undefined}
          />
        </span>
        <FieldError message={exact('start') ?? err('start.day') ?? err('start.time')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-ed`}>Ends (window {n})</label>
        <span className="field-row">
          {days(w.endDay, (endDay) => onChange({ endDay }), `End day (window ${n})`, `${id}-ed`)}
          <input
            type="time"
            value={w.endTime}
            onChange={(e) => onChange({ endTime: e.target.value })}
            aria-label={`End time (window ${n})`}
            aria-invalid={err('end') ? true : undefined}
          />
        </span>
        <FieldError message={exact('end') ?? err('end.day') ?? err('end.time')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason (window {n}, optional)</label>
        <input
          id={`${id}-reason`}
          value={w.reason}
          maxLength={500}
          onChange={(e) => onChange({ reason: e.target.value })}
          placeholder="weekend: nobody on call"
        />
        <FieldError message={err('reason')} />
      </div>
      {windowError ? <FieldError message={windowError} /> : null}
      <button type="button" className="danger" onClick={onRemove}>
        Remove window {n}
      </button>
    </fieldset>
  );
}
