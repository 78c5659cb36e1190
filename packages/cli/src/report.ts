import type { GateResult, MetricPoint, MetricsResponse, Rollout, RolloutEvent } from '@aviary/contracts';
import { targetName } from './views.ts';

export interface Report {
  rollout: Rollout;
  events: readonly RolloutEvent[];
  gate: GateResult | null;
  metrics: MetricsResponse | null;
}

const cell = (s: string | null | undefined) => (s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
const percent = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);
const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);

function mean(points: readonly MetricPoint[], pick: (p: MetricPoint) => number | null): number | null {
  const values = points.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** The gate an action was taken on, as the API stores it in the event's details. */
function gateOf(e: RolloutEvent): { verdict: string; summary?: string; overridden: boolean } | null {
  const gate = e.details?.gate as { verdict?: unknown; summary?: unknown } | undefined;
  if (!gate || typeof gate.verdict !== 'string') return null;
  return {
    verdict: gate.verdict,
    ...(typeof gate.summary === 'string' ? { summary: gate.summary } : {}),
    overridden: e.details?.override === true,
  };
}

const weightChange = (e: RolloutEvent) =>
  e.fromWeight !== null && e.toWeight !== null && e.fromWeight !== e.toWeight
    ? `${e.fromWeight}% → ${e.toWeight}%`
    : e.toWeight !== null
      ? `${e.toWeight}%`
      : '';

function numbers(metrics: MetricsResponse): string[] {
  const rows: [string, (p: MetricPoint) => number | null, (v: number | null) => string][] = [
    ['error rate', (p) => p.errorRate, percent],
    ['latency p50', (p) => p.p50, ms],
    ['latency p95', (p) => p.p95, ms],
    ['latency p99', (p) => p.p99, ms],
  ];
  for (const name of new Set(metrics.canary.flatMap((p) => Object.keys(p.business)))) {
    rows.push([name, (p) => p.business[name] ?? null, percent]);
  }
  return [
    '| metric (mean over the rollout) | canary | stable |',
    '|---|---|---|',
    ...rows.map(
      ([name, pick, fmt]) =>
        `| ${name} | ${fmt(mean(metrics.canary, pick))} | ${fmt(mean(metrics.stable, pick))} |`,
    ),
    '',
    `${metrics.canary.length} canary and ${metrics.stable.length} stable samples from ${metrics.from} to ${metrics.to}.`,
  ];
}

/**
 * The report a person pastes into a ticket or a pipeline attaches as an artefact: the outcome,
 * the timeline with who decided on which gate, and the numbers, from the API's stored history.
 */
export function toMarkdownReport({ rollout, events, gate, metrics }: Report): string {
  const lines = [
    `# Rollout report: ${targetName(rollout.target)}`,
    '',
    `- **Rollout**: ${rollout.id}`,
    `- **Outcome**: ${rollout.phase} (canary weight ${rollout.weight}%)`,
    `- **Images**: ${rollout.stableImage} → ${rollout.canaryImage}`,
    `- **Plan**: ${rollout.steps.map((s) => `${s}%`).join(', ')}`,
    `- **Started**: ${rollout.createdAt} by ${rollout.createdBy}${rollout.reason ? ` — "${cell(rollout.reason)}"` : ''}`,
    `- **Last change**: ${rollout.updatedAt}`,
    '',
    '## Timeline',
    '',
    '| time | actor | action | weight | phase | reason | gate |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const e of events) {
    const g = gateOf(e);
    const phase =
      e.fromPhase && e.toPhase && e.fromPhase !== e.toPhase
        ? `${e.fromPhase} → ${e.toPhase}`
        : (e.toPhase ?? '');
    const gateCell = g ? `${g.verdict}${g.overridden ? ' (OVERRIDDEN)' : ''}` : '';
    lines.push(
      `| ${e.at} | ${cell(e.actor)} | ${e.action} | ${weightChange(e)} | ${phase} | ${cell(e.reason)} | ${gateCell} |`,
    );
  }
  if (gate?.checks.length) {
    lines.push('', '## Gate now', '', `**${gate.verdict}** — ${cell(gate.summary)}`, '');
    for (const c of gate.checks) lines.push(`- ${c.name} (${c.verdict}): ${c.explanation}`);
  }
  if (metrics) lines.push('', '## Numbers', '', ...numbers(metrics));
  return `${lines.join('\n')}\n`;
}
