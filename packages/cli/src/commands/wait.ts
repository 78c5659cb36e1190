import { Option, type Command } from 'commander';
import { resolveRollout } from '../api.ts';
import { type Context, timeoutOption, examples, forCommand } from '../context.ts';
import { emit } from '../output.ts';
import { rolloutDetail } from '../views.ts';
import { type Until, untilStates, waitUntil } from '../wait.ts';

export function registerWait(program: Command, ctx: Context): void {
  program
    .command('wait')
    .description("wait until a rollout's gate passes, it is promoted, or it ends; acts on nothing")
    .argument('<rollout>', "a rollout id, or NS/SVC for that target's newest rollout")
    .addOption(new Option('--until <state>', 'what to wait for').choices(untilStates).makeOptionMandatory())
    .addOption(timeoutOption(30 * 60_000, '30m', 'give up after this long (exit 3)'))
    .addHelpText(
      'after',
      examples(
        'aviary wait shop/checkout --until gate-passed --timeout 10m',
        'aviary wait 01JD6Z3K… --until finished',
      ) + '\nExits 0 when reached, 2 if the rollout was rolled back, 3 on timeout.\n',
    )
    .action(async (ref: string, opts: { until: Until; timeout: number }, cmd: Command) => {
      const { io, client, progress } = forCommand(ctx, cmd);
      const c = await client();
      const rollout = await resolveRollout(c, ref, { latest: true });
      const result = await waitUntil(c, rollout.id, {
        until: opts.until,
        timeoutMs: opts.timeout,
        pollMs: ctx.pollMs,
        progress: progress(),
      });
      emit(io, result, () => rolloutDetail(result.rollout, result.gate));
    });
}
