import { type GateResult, type Rollout, finalPhases } from '@aviary/contracts';
import type { Command } from 'commander';
import { api, resolveRollout } from '../api.ts';
import type { ApiClient } from '../client.ts';
import { type Context, examples, forCommand } from '../context.ts';
import { type Io, emit, table } from '../output.ts';
import { rolloutColumns, rolloutDetail } from '../views.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function snapshot(c: ApiClient, ref: string): Promise<{ rollout: Rollout; gate: GateResult | null }> {
  const rollout = await resolveRollout(c, ref, { latest: true });
  const gate = finalPhases.includes(rollout.phase) ? null : await api.gate(c, rollout.id);
  return { rollout, gate };
}

/**
 * With --watch: on a terminal the view is redrawn in place; otherwise (and with -o json, one
 * JSON document per line) it is printed again whenever it changes. Ends when the rollout does.
 */
async function watch(
  io: Io,
  pollMs: number,
  render: () => Promise<{ json: unknown; text: string; done: boolean }>,
) {
  let last = '';
  for (;;) {
    const view = await render();
    const out = io.format === 'json' ? `${JSON.stringify(view.json)}\n` : view.text;
    if (io.interactive && io.format !== 'json') io.stdout.write(`\x1b[H\x1b[2J${out}`);
    else if (out !== last) io.stdout.write(out);
    last = out;
    if (view.done) return;
    await sleep(pollMs);
  }
}

export function registerStatus(program: Command, ctx: Context): void {
  program
    .command('status')
    .description("active rollouts, or one rollout with its plan and gate (by id, or a target's newest)")
    .argument('[rollout]', "a rollout id, or NS/SVC for that target's newest rollout")
    .option('-w, --watch', 'keep showing it as it changes, until the rollout ends')
    .addHelpText(
      'after',
      examples(
        'aviary status',
        'aviary status shop/checkout',
        'aviary status 01JD6Z3K… --watch',
        'aviary status shop/checkout -o json | jq .gate.verdict',
      ),
    )
    .action(async (ref: string | undefined, opts: { watch?: boolean }, cmd: Command) => {
      const { io, client } = forCommand(ctx, cmd);
      const c = await client();
      const render = async () => {
        if (ref) {
          const view = await snapshot(c, ref);
          return {
            json: view,
            text: rolloutDetail(view.rollout, view.gate),
            done: finalPhases.includes(view.rollout.phase),
          };
        }
        const { items } = await api.rollouts(c, { active: true, limit: 200 });
        const text = items.length ? table(items, rolloutColumns) : 'No active rollouts.\n';
        return { json: { items }, text, done: false };
      };
      if (opts.watch) return watch(io, ctx.pollMs, render);
      const view = await render();
      emit(io, view.json, () => view.text);
    });
}
