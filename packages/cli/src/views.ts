import type { GateResult, Rollout, Target } from '@aviary/contracts';
import { formatSeconds } from './duration.ts';
import { type Column, fields, table } from './output.ts';

export const targetName = (t: { namespace: string; service: string }) => `${t.namespace}/${t.service}`;

const stepOf = (r: Rollout) => `${r.stepIndex + 1}/${r.steps.length}`;

export const rolloutColumns: Column<Rollout>[] = [
  { label: 'id', value: (r) => r.id },
  { label: 'target', value: (r) => targetName(r.target) },
  { label: 'phase', value: (r) => (r.operation ? `${r.phase} (${r.operation})` : r.phase) },
  { label: 'weight', value: (r) => `${r.weight}%` },
  { label: 'step', value: stepOf },
  { label: 'canary image', value: (r) => r.canaryImage },
  { label: 'by', value: (r) => r.createdBy },
  { label: 'started', value: (r) => r.createdAt },
];

export const targetColumns: Column<Target>[] = [
  { label: 'target', value: targetName },
  { label: 'router', value: (t) => t.router },
  { label: 'canary', value: (t) => (t.weights ? `${t.weights.canary}%` : null) },
  { label: 'stable image', value: (t) => t.stableImage },
  { label: 'rollout', value: (t) => t.activeRolloutId },
  { label: 'problems', value: (t) => (t.problems.length ? t.problems.join('; ') : 'none') },
];

/** One line for progress output and action results. */
export function rolloutLine(r: Rollout, gate?: GateResult | null, opts: { bake?: boolean } = {}): string {
  const phase = r.operation ? `${r.phase} (${r.operation})` : r.phase;
  const parts = [`${targetName(r.target)} ${r.id}: ${phase} at ${r.weight}%, step ${stepOf(r)}`];
  if (gate) {
    parts.push(`gate ${gate.verdict}`);
    if (opts.bake !== false && gate.bakeSecondsRemaining > 0)
      parts.push(`bake ${formatSeconds(gate.bakeSecondsRemaining)} left`);
  }
  return parts.join(', ');
}

export function rolloutDetail(r: Rollout, gate: GateResult | null): string {
  let text = fields([
    ['Rollout', r.id],
    ['Target', targetName(r.target)],
    ['Phase', r.operation ? `${r.phase} (${r.operation} under way)` : r.phase],
    ['Weight', `${r.weight}% canary`],
    ['Plan', r.steps.map((s, i) => (i === r.stepIndex ? `[${s}%]` : `${s}%`)).join(' ')],
    ['Images', `${r.stableImage} -> ${r.canaryImage}`],
    ['Started', `${r.createdAt} by ${r.createdBy}${r.reason ? ` ("${r.reason}")` : ''}`],
    ['Updated', r.updatedAt],
  ]);
  if (gate) {
    text += `\nGate: ${gate.verdict.toUpperCase()} - ${gate.summary}\n`;
    if (gate.checks.length) {
      text += table(gate.checks, [
        { label: 'check', value: (c) => c.name },
        { label: 'verdict', value: (c) => c.verdict },
        { label: 'explanation', value: (c) => c.explanation },
      ]);
    }
  }
  return text;
}
