import { type ActionRequest, type GateResult, type Rollout, finalPhases } from '@aviary/contracts';
import { api, blockedByApproval, isPendingApproval } from './api.ts';
import type { ApiClient } from './client.ts';
import { formatSeconds } from './duration.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import type { Progress } from './progress.ts';
import { rolloutLine } from './views.ts';

export const untilStates = ['gate-passed', 'promoted', 'finished'] as const;
export type Until = (typeof untilStates)[number];

export interface WaitOptions {
  until: Until;
  timeoutMs: number;
  pollMs: number;
  progress: Progress;
  /**
   * Move the rollout on whenever its gate passes: the next step, and after the last one the
   * promotion. This is what `start --wait-until promoted` does for a pipeline.
   */
  drive?: boolean;
}

export interface WaitResult {
  rollout: Rollout;
  gate: GateResult | null;
  reached: Until;
}

/** Races with a person (or the guard) acting at the same moment: look again rather than fail. */
const retryableCodes = new Set(['version-conflict', 'rollout-busy', 'gate-not-passed', 'no-next-step']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reachedState(until: Until, r: Rollout, gate: GateResult | null): boolean {
  if (until === 'finished') return finalPhases.includes(r.phase);
  if (until === 'promoted' || r.phase === 'promoted') return r.phase === 'promoted';
  return r.phase === 'progressing' && r.operation === null && gate?.verdict === 'pass';
}

async function rolledBack(c: ApiClient, r: Rollout): Promise<CliError> {
  const events = await api.events(c, r.id);
  const rollback = events.findLast((e) => e.action === 'rollback');
  const by = rollback ? ` by ${rollback.actor}${rollback.reason ? `: ${rollback.reason}` : ''}` : '';
  return new CliError(`${rolloutLine(r)}: rolled back${by}`, ExitCode.rolledBack, 'rolled-back', {
    rollout: r,
  });
}

/** The next move for a driven rollout whose gate passed: the next step, or the promotion. */
function nextMove(r: Rollout): ActionRequest {
  const last = r.stepIndex >= r.steps.length - 1;
  return {
    type: last ? 'promote' : 'step',
    reason: `gate passed at ${r.weight}%; ${last ? 'promoting' : 'next step'} (aviary --wait-until promoted)`,
    expectedVersion: r.version,
  };
}

/**
 * Poll the rollout and its gate until `until` holds. A rollback ends the wait with exit 2, the
 * deadline with exit 3, a freeze window or a pending approval (when driving) with exit 4.
 */
export async function waitUntil(c: ApiClient, id: string, opts: WaitOptions): Promise<WaitResult> {
  const deadline = Date.now() + opts.timeoutMs;
  try {
    for (;;) {
      const rollout = await api.rollout(c, id);
      const final = finalPhases.includes(rollout.phase);
      const gate = final ? null : await api.gate(c, id);
      opts.progress.update(rollout, gate);
      // Traffic is back on stable from the moment the phase says so; cleanup may still run.
      if (rollout.phase === 'rolled-back') throw await rolledBack(c, rollout);
      if (reachedState(opts.until, rollout, gate)) {
        return { rollout, gate, reached: opts.until };
      } else if (
        opts.drive &&
        gate?.verdict === 'pass' &&
        rollout.phase === 'progressing' &&
        !rollout.operation
      ) {
        try {
          const answer = await api.act(c, id, nextMove(rollout));
          if (isPendingApproval(answer)) throw blockedByApproval(answer);
          continue;
        } catch (err) {
          if (!(err instanceof CliError && retryableCodes.has(err.code))) throw err;
        }
      }
      if (Date.now() >= deadline) {
        throw new CliError(
          `timed out after ${formatSeconds(opts.timeoutMs / 1000)} waiting for ${opts.until}: ${rolloutLine(rollout, gate)}`,
          ExitCode.timedOut,
          'timed-out',
          { rollout, gate },
        );
      }
      await sleep(opts.pollMs);
    }
  } finally {
    opts.progress.end();
  }
}
