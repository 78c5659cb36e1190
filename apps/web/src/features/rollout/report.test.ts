import { describe, expect, it } from 'vitest';
import { eventFixture, gateFixture, metricsFixture, rolloutFixture } from '../../test/fixtures.ts';
import { eventAt } from './evidence.ts';
import { reportFileName, toJsonExport, toMarkdownReport } from './report.ts';

const events = [
  eventFixture(),
  eventFixture({
    id: 2,
    at: '2025-01-01T10:02:00.000Z',
    action: 'step',
    fromWeight: 1,
    toWeight: 5,
    fromPhase: 'progressing',
    toPhase: 'progressing',
    reason: 'gate | slow; ship it',
    details: {
      override: true,
      gate: {
        verdict: 'inconclusive',
        summary: 'needs 150 more canary requests',
        checks: [
          {
            name: 'sample-size',
            verdict: 'inconclusive',
            canary: null,
            stable: null,
            explanation: 'need 150 more',
          },
        ],
      },
    },
  }),
  eventFixture({
    id: 3,
    at: '2025-01-01T10:04:00.000Z',
    action: 'rollback',
    fromWeight: 5,
    toWeight: 0,
    fromPhase: 'progressing',
    toPhase: 'rolled-back',
    reason: 'error spike',
  }),
];

describe('toMarkdownReport', () => {
  const md = toMarkdownReport({
    rollout: rolloutFixture({ phase: 'rolled-back', weight: 0 }),
    events,
    gate: gateFixture(),
    metrics: metricsFixture(),
  });

  it('has the outcome, every event with who/what/why, and the override marked', () => {
    expect(md).toContain('# Rollout report: shop/checkout');
    expect(md).toContain('**Outcome**: rolled-back');
    expect(md).toContain(
      '| 2025-01-01T10:02:00.000Z | admin | step | 1% → 5% | progressing | gate \\| slow; ship it | inconclusive (OVERRIDDEN) |',
    );
    expect(md).toContain('| rollback | 5% → 0% | progressing → rolled-back | error spike |');
    expect(md).toContain('- sample-size (inconclusive): need 150 more');
  });

  it('has the numbers per arm', () => {
    expect(md).toContain('| error rate | 1.00% | 0.20% |');
    expect(md).toContain('| checkout-conversion | 60.00% | 60.00% |');
  });
});

describe('toMarkdownReport with hostile input', () => {
  const hostile =
    '[click](javascript:alert(1)) <img src=x onerror=alert(1)> **loud** `code` ~~gone~~ | cell\n# heading';
  const md = toMarkdownReport({
    rollout: rolloutFixture({
      reason: hostile,
      createdBy: 'eve_<b>',
      canaryImage: 'registry.local/x:1.1.0<script>',
    }),
    events: [eventFixture({ actor: '*mallory*', reason: hostile })],
  });

  it('escapes what people typed: no link, no HTML, no emphasis, no new line or table cell', () => {
    expect(md).not.toContain('[click]');
    expect(md).not.toMatch(/(?<!\\)<(img|script|b)/);
    expect(md).not.toMatch(/(?<!\\)\*\*loud/);
    expect(md).not.toMatch(/^# heading/m);
    expect(md).toContain(
      '\\[click\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\> \\*\\*loud\\*\\* \\`code\\` \\~\\~gone\\~\\~ \\| cell # heading',
    );
    expect(md).toContain('by eve\\_\\<b\\>');
    expect(md).toContain('registry.local/x:1.1.0\\<script\\>');
    expect(md).toContain('| \\*mallory\\* |');
  });

  it('keeps the timeline one row per event, whatever the reason holds', () => {
    const rows = md.split('\n').filter((l) => l.startsWith('| 20'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.split(/(?<!\\)\|/)).toHaveLength(9);
  });
});

describe('exports', () => {
  it('JSON round-trips and the file names say what they are', () => {
    const rollout = rolloutFixture();
    expect(JSON.parse(toJsonExport({ rollout, events })).events).toHaveLength(3);
    expect(reportFileName(rollout, 'md')).toBe('aviary-shop-checkout-r1.md');
  });
});

describe('eventAt', () => {
  it.each([
    ['2025-01-01T10:03:00.000Z', 2],
    ['2025-01-01T10:04:00.000Z', 3],
    ['2025-01-01T09:00:00.000Z', 1],
  ])('%s → event %s', (at, id) => expect(eventAt(events, at)?.id).toBe(id));

  it('ignores a missing or bad moment', () => {
    expect(eventAt(events, null)).toBeNull();
    expect(eventAt(events, 'soon')).toBeNull();
  });
});
