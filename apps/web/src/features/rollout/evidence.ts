import type { RolloutEvent, Verdict } from '@aviary/contracts';

/** The gate snapshot an action was taken on (events' `details.gate`), read defensively. */
export interface GateEvidence {
  verdict: Verdict;
  summary: string;
  overridden: boolean;
  checks: {
    name: string;
    verdict: Verdict;
    canary: number | null;
    stable: number | null;
    explanation: string;
  }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isVerdict = (v: unknown): v is Verdict => v === 'pass' || v === 'fail' || v === 'inconclusive';
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function gateEvidence(event: RolloutEvent): GateEvidence | null {
  const gate = event.details?.gate;
  if (!isRecord(gate) || !isVerdict(gate.verdict)) return null;
  const checks = Array.isArray(gate.checks) ? gate.checks.filter(isRecord) : [];
  return {
    verdict: gate.verdict,
    summary: typeof gate.summary === 'string' ? gate.summary : '',
    overridden: event.details?.override === true,
    checks: checks.map((c) => ({
      name: String(c.name ?? '?'),
      verdict: isVerdict(c.verdict) ? c.verdict : 'inconclusive',
      canary: num(c.canary),
      stable: num(c.stable),
      explanation: typeof c.explanation === 'string' ? c.explanation : '',
    })),
  };
}

/** The event a moment (`?at=`) points at: the last one at or before it, else the first. */
export function eventAt(events: readonly RolloutEvent[], at: string | null): RolloutEvent | null {
  if (!at || events.length === 0) return null;
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return null;
  let found: RolloutEvent | null = null;
  for (const e of events) if (Date.parse(e.at) <= t) found = e;
  return found ?? events[0] ?? null;
}

export function weightChange(e: RolloutEvent): string {
  if (e.fromWeight === null && e.toWeight === null) return '—';
  if (e.fromWeight === e.toWeight || e.fromWeight === null) return `${e.toWeight ?? '—'}%`;
  return `${e.fromWeight}% → ${e.toWeight ?? '—'}%`;
}
