import { Writable } from 'node:stream';
import type { GateResult, Rollout } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { progressOn } from './progress.ts';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

const rollout = {
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'istio' },
  phase: 'progressing',
  weight: 5,
  stepIndex: 0,
  steps: [5, 100],
  operation: null,
} as Rollout;
const gate = (bakeSecondsRemaining: number, verdict: GateResult['verdict'] = 'inconclusive') =>
  ({ verdict, bakeSecondsRemaining }) as GateResult;

describe('progress', () => {
  it('redraws one line with the bake time counting down on a terminal', () => {
    const err = sink();
    const p = progressOn({ stdout: sink().stream, stderr: err.stream, interactive: true, format: 'table' });
    p.update(rollout, gate(20));
    p.update(rollout, gate(19));
    p.end();
    expect(err.text()).toBe(
      '\r\x1b[2Kshop/checkout r1: progressing at 5%, step 1/2, gate inconclusive, bake 20s left' +
        '\r\x1b[2Kshop/checkout r1: progressing at 5%, step 1/2, gate inconclusive, bake 19s left\n',
    );
  });

  it('prints a timestamped line only when something but the countdown changes, elsewhere', () => {
    const err = sink();
    const p = progressOn({ stdout: sink().stream, stderr: err.stream, interactive: false, format: 'json' });
    p.update(rollout, gate(20));
    p.update(rollout, gate(19));
    p.update(rollout, gate(0, 'pass'));
    p.end();
    const lines = err.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z shop\/checkout r1: progressing at 5%, step 1\/2, gate inconclusive$/,
    );
    expect(lines[1]).toMatch(/gate pass$/);
  });
});
