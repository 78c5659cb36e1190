import type { GateResult, Rollout } from '@aviary/contracts';
import type { Io } from './output.ts';
import { rolloutLine } from './views.ts';

export interface Progress {
  update(rollout: Rollout, gate: GateResult | null): void;
  /** Leave the terminal on a fresh line before the result is printed. */
  end(): void;
}

/**
 * On a terminal one line redrawn in place, with the bake time counting down; elsewhere (CI logs)
 * a plain line each time the phase, weight, operation or verdict changes, and nothing in between.
 */
export function progressOn(io: Io): Progress {
  if (io.interactive) {
    let drawn = false;
    return {
      update(rollout, gate) {
        io.stderr.write(`\r\x1b[2K${rolloutLine(rollout, gate)}`);
        drawn = true;
      },
      end() {
        if (drawn) io.stderr.write('\n');
        drawn = false;
      },
    };
  }
  let last = '';
  return {
    update(rollout, gate) {
      const line = rolloutLine(rollout, gate, { bake: false });
      if (line !== last) io.stderr.write(`${new Date().toISOString()} ${line}\n`);
      last = line;
    },
    end() {},
  };
}
