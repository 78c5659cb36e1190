import type { ActionRequest, GateResult } from '@aviary/contracts';
import { DomainError } from '../errors.ts';
import type { StoredRollout } from '../ports.ts';

/** What history keeps of the gate an action was taken on. */
export function gateSnapshot(gate: GateResult | null): Record<string, unknown> {
  if (!gate) return { verdict: 'inconclusive', summary: 'the gate had not evaluated this step yet' };
  return {
    verdict: gate.verdict,
    summary: gate.summary,
    evaluatedAt: gate.evaluatedAt,
    checks: gate.checks.map((c) => ({
      name: c.name,
      verdict: c.verdict,
      canary: c.canary,
      stable: c.stable,
      explanation: c.explanation,
    })),
  };
}

/**
 * Stepping up and promoting need a passing gate, or an explicit override with a reason. Returns
 * the event details every action keeps (the gate it was taken on), so history shows what people
 * saw; throws `gate-not-passed` when the gate stops the action.
 */
export function gateRule(
  gate: GateResult | null,
  r: StoredRollout,
  event: string,
  toWeight: number,
  action: ActionRequest,
): Record<string, unknown> {
  const gated = event === 'step' || event === 'promote' || (event === 'set-weight' && toWeight > r.weight);
  if (gated && gate?.verdict !== 'pass' && !action.override) {
    const why = gate ? gate.summary : 'the gate has not evaluated this step yet';
    throw new DomainError(
      'gate-not-passed',
      `the gate is ${gate?.verdict ?? 'inconclusive'}: ${why}. Wait for it to pass, or send override: true with a reason`,
      { gate: gateSnapshot(gate) },
    );
  }
  return {
    gate: gateSnapshot(gate),
    ...(gated && action.override && gate?.verdict !== 'pass' ? { override: true } : {}),
  };
}
