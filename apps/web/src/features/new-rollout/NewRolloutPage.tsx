import { type FormEvent, useState } from 'react';
import { useStartRollout } from '../../api/mutations.ts';
import { useTargets } from '../../api/queries.ts';
import { useAccess } from '../../auth/useAccess.ts';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { navigate } from '../../router/history.ts';
import { hrefs } from '../../router/routes.ts';
import { defaultPlanText, parseSteps } from './plan.ts';

/** Start a canary: pick a target, name the image, adjust the plan, say why. */
export function NewRolloutPage({ namespace, service }: { namespace?: string; service?: string }) {
  const targets = useTargets();
  const start = useStartRollout();
  const denied = useAccess().denial('start');
  const canAct = denied === null;
  const [target, setTarget] = useState(namespace && service ? `${namespace}/${service}` : '');
  const [image, setImage] = useState('');
  const [plan, setPlan] = useState(defaultPlanText);
  const [reason, setReason] = useState('');
  const parsed = parseSteps(plan);
  const ready = (targets.data ?? []).filter((t) => t.problems.length === 0 && !t.activeRolloutId);
  const chosen = targets.data?.find((t) => `${t.namespace}/${t.service}` === target);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || 'error' in parsed) return;
    start.mutate(
      {
        namespace: chosen.namespace,
        service: chosen.service,
        image: image.trim(),
        steps: parsed.steps,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      },
      { onSuccess: (r) => navigate(hrefs.rollout(r.id)) },
    );
  };

  if (targets.isPending) return <Loading what="targets" />;
  if (targets.isError) return <ErrorState error={targets.error} retry={() => void targets.refetch()} />;
  return (
    <div className="new-rollout">
      <h1>Start a canary</h1>
      {canAct ? null : (
        <p className="why" role="note">
          {denied}.
        </p>
      )}
      <form onSubmit={submit} className="form">
        <div className="field">
          <label htmlFor="n-target">Target</label>
          <select id="n-target" value={target} onChange={(e) => setTarget(e.target.value)} required>
            <option value="">choose a service…</option>
            {targets.data.map((t) => {
              const key = `${t.namespace}/${t.service}`;
              const why = t.activeRolloutId ? ' (rollout running)' : t.problems.length ? ' (not ready)' : '';
              return (
                <option key={key} value={key} disabled={!ready.includes(t)}>
                  {key}
                  {why}
                </option>
              );
            })}
          </select>
          {chosen ? <small>Stable now: {chosen.stableImage ?? 'unknown'}</small> : null}
        </div>
        <div className="field">
          <label htmlFor="n-image">Canary image</label>
          <input
            id="n-image"
            value={image}
            onChange={(e) => setImage(e.target.value)}
            placeholder={
              chosen?.stableImage?.replace(/:[^:/]+$/, ':1.1.0') ?? 'registry.local/shop/checkout:1.1.0'
            }
            required
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="n-steps">Plan: canary weights in %, a gate before each</label>
          <input
            id="n-steps"
            value={plan}
            onChange={(e) => setPlan(e.target.value)}
            aria-invalid={'error' in parsed}
            aria-describedby="n-steps-help"
          />
          <small id="n-steps-help">
            {'error' in parsed ? parsed.error : `${parsed.steps.length} steps, then promote`}
          </small>
        </div>
        <div className="field">
          <label htmlFor="n-reason">Reason (optional)</label>
          <textarea id="n-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
        </div>
        {start.error ? <ErrorState error={start.error} /> : null}
        <button
          type="submit"
          className="primary"
          disabled={!canAct || !chosen || 'error' in parsed || start.isPending}
          title={denied ?? undefined}
        >
          {start.isPending ? 'Starting…' : 'Start canary'}
        </button>
      </form>
    </div>
  );
}
