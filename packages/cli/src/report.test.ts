import type { Rollout, RolloutEvent } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { toMarkdownReport } from './report.ts';

const rollout: Rollout = {
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'istio' },
  stableImage: 'registry.local/shop/checkout:1.0.0',
  canaryImage: 'registry.local/shop/checkout:1.1.0',
  phase: 'rolled-back',
  weight: 0,
  stepIndex: 1,
  steps: [5, 25, 100],
  version: 4,
  operation: null,
  reason: 'release | 1.1',
  createdBy: 'alice',
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:05:00.000Z',
};

const event = (e: Partial<RolloutEvent>): RolloutEvent => ({
  id: 1,
  rolloutId: 'r1',
  at: '2026-11-29T10:01:00.000Z',
  actor: 'alice',
  action: 'step',
  fromWeight: null,
  toWeight: null,
  fromPhase: null,
  toPhase: null,
  reason: null,
  details: null,
  ...e,
});

describe('toMarkdownReport', () => {
  it('gives the outcome, and per event who, what, the weight change and the gate it was taken on', () => {
    const md = toMarkdownReport({
      rollout,
      events: [
        event({
          action: 'step',
          fromWeight: 5,
          toWeight: 25,
          reason: 'looked fine',
          details: { gate: { verdict: 'inconclusive' }, override: true },
        }),
        event({
          id: 2,
          actor: 'aviary',
          action: 'rollback',
          fromWeight: 25,
          toWeight: 0,
          fromPhase: 'progressing',
          toPhase: 'rolled-back',
          reason: 'automatic rollback: 5xx 8.1%\nabove 5%',
          details: { gate: { verdict: 'fail' } },
        }),
      ],
      gate: null,
      metrics: null,
    });
    expect(md).toContain('# Rollout report: shop/checkout');
    expect(md).toContain('- **Outcome**: rolled-back (canary weight 0%)');
    // A reason cannot break the Markdown table.
    expect(md).toContain('— "release \\| 1.1"');
    expect(md).toContain('| alice | step | 5% → 25% |  | looked fine | inconclusive (OVERRIDDEN) |');
    expect(md).toContain(
      '| aviary | rollback | 25% → 0% | progressing → rolled-back | automatic rollback: 5xx 8.1% above 5% | fail |',
    );
    expect(md).not.toContain('## Numbers');
  });
});
