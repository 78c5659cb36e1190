import type { GateResult, MetricPoint, MetricsResponse, Rollout, RolloutEvent } from '@aviary/contracts';
import { formatDuration, formatMs, formatPercent } from '../../lib/format.ts';
import { gateEvidence, weightChange } from './evidence.ts';

export interface ReportInput {
  rollout: Rollout;
  events: readonly RolloutEvent[];
  gate?: GateResult | undefined;
  metrics?: MetricsResponse | undefined;
}

/**
 * What people typed (reasons, names, images, metric names) as inert Markdown text: one line, and
 * every character that could start a link, an image, HTML, emphasis, code or a table cell
 * backslash-escaped, so a pasted report shows the text and runs nothing.
 */
export const text = (s: string | null | undefined): string =>
  (s ?? '').replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_[\]<>|~]/g, '\\$&');
const cell = text;

function mean(points: readonly MetricPoint[], pick: (p: MetricPoint) => number | null): number | null {
  const values = points.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function numbers(metrics: MetricsResponse): string[] {
  const rows: [string, (p: MetricPoint) => number | null, (v: number | null) => string][] = [
    ['error rate', (p) => p.errorRate, (v) => formatPercent(v)],
    ['latency p50', (p) => p.p50, formatMs],
    ['latency p95', (p) => p.p95, formatMs],
    ['latency p99', (p) => p.p99, formatMs],
  ];
  const business = new Set(metrics.canary.flatMap((p) => Object.keys(p.business)));
  for (const name of business)
    rows.push([text(name), (p) => p.business[name] ?? null, (v) => formatPercent(v)]);
  return [
    '| metric (mean over the rollout) | canary | stable |',
    '|---|---|---|',
    ...rows.map(
      ([name, pick, fmt]) =>
        `| ${name} | ${fmt(mean(metrics.canary, pick))} | ${fmt(mean(metrics.stable, pick))} |`,
    ),
    '',
    `${metrics.canary.length} canary and ${metrics.stable.length} stable samples from ${metrics.from} to ${metrics.to} (${metrics.step}s per point).`,
  ];
}

/** A post-rollout report a person can paste into a ticket: what happened, who decided, on which numbers. */
export function toMarkdownReport({ rollout, events, gate, metrics }: ReportInput): string {
  const { namespace, service } = rollout.target;
  const duration = (Date.parse(rollout.updatedAt) - Date.parse(rollout.createdAt)) / 1000;
  const lines = [
    `# Rollout report: ${namespace}/${service}`,
    '',
    `- **Rollout**: ${rollout.id}`,
    `- **Outcome**: ${rollout.phase} (canary weight ${rollout.weight}%)`,
    `- **Images**: ${text(rollout.stableImage)} → ${text(rollout.canaryImage)}`,
    `- **Plan**: ${rollout.steps.map((s) => `${s}%`).join(', ')}`,
    `- **Started**: ${rollout.createdAt} by ${text(rollout.createdBy)}${rollout.reason ? ` — "${text(rollout.reason)}"` : ''}`,
    `- **Last change**: ${rollout.updatedAt} (${formatDuration(duration)} after start)`,
    '',
    '## Timeline',
    '',
    '| time | actor | action | weight | phase | reason | gate |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const e of events) {
    const ev = gateEvidence(e);
    const gateCell = ev ? `${ev.verdict}${ev.overridden ? ' (OVERRIDDEN)' : ''}` : '';
    const phase =
      e.fromPhase && e.toPhase && e.fromPhase !== e.toPhase
        ? `${e.fromPhase} → ${e.toPhase}`
        : (e.toPhase ?? '');
    lines.push(
      `| ${e.at} | ${cell(e.actor)} | ${e.action} | ${weightChange(e)} | ${phase} | ${cell(e.reason)} | ${gateCell} |`,
    );
  }
  const withEvidence = events.filter((e) => gateEvidence(e));
  if (withEvidence.length) {
    lines.push('', '## Gate evidence at each decision', '');
    for (const e of withEvidence) {
      const ev = gateEvidence(e);
      if (!ev) continue;
      lines.push(
        `### ${e.at} — ${e.action} by ${text(e.actor)}${ev.overridden ? ' (gate overridden)' : ''}`,
        '',
        `Gate: **${ev.verdict}** — ${cell(ev.summary)}`,
        '',
      );
      for (const c of ev.checks) {
        lines.push(`- ${text(c.name)} (${c.verdict}): ${text(c.explanation)}`);
      }
      lines.push('');
    }
  }
  if (gate?.checks.length) {
    lines.push('## Gate now', '', `**${gate.verdict}** — ${text(gate.summary)}`, '');
    for (const c of gate.checks) lines.push(`- ${text(c.name)} (${c.verdict}): ${text(c.explanation)}`);
    lines.push('');
  }
  if (metrics) lines.push('## Numbers', '', ...numbers(metrics), '');
  return lines.join('\n');
}

export function toJsonExport(input: ReportInput): string {
  return JSON.stringify(
    {
      rollout: input.rollout,
      events: input.events,
      gate: input.gate ?? null,
      metrics: input.metrics ?? null,
    },
    null,
    2,
  );
}

export const reportFileName = (rollout: Rollout, ext: 'md' | 'json') =>
  `aviary-${rollout.target.namespace}-${rollout.target.service}-${rollout.id}.${ext}`;
