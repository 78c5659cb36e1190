import type { Rollout } from '@aviary/contracts';

/** The plan: each weight step, done, current or to come. */
export function PlanSteps({ rollout }: { rollout: Rollout }) {
  return (
    <section aria-labelledby="plan-title" className="plan">
      <h2 id="plan-title">Plan</h2>
      <ol className="steps">
        {rollout.steps.map((w, i) => {
          const state = i < rollout.stepIndex ? 'done' : i === rollout.stepIndex ? 'current' : 'todo';
          return (
            <li
              key={w}
              className={`step step-${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              {w}%{state === 'current' ? ' (now)' : ''}
            </li>
          );
        })}
        <li className="step step-todo">promote</li>
      </ol>
      <p className="muted">
        Live canary weight: <strong data-testid="live-weight">{rollout.weight}%</strong>
      </p>
    </section>
  );
}
