import { finalPhases } from '@aviary/contracts';
import { Option, type Command } from 'commander';
import { api, resolveRollout } from '../api.ts';
import { type Context, examples, forCommand } from '../context.ts';
import { toMarkdownReport } from '../report.ts';

export function registerReport(program: Command, ctx: Context): void {
  program
    .command('report')
    .description(
      'what happened in a rollout, who decided and on which numbers: Markdown for a ticket, or JSON',
    )
    .argument('<rollout>', "a rollout id, or NS/SVC for that target's newest rollout")
    .addOption(
      new Option('--format <format>', 'md or json (-o json also gives JSON)')
        .choices(['md', 'json'])
        .default('md'),
    )
    .addHelpText(
      'after',
      examples('aviary report 01JD6Z3K… > report.md', 'aviary report shop/checkout --format json'),
    )
    .action(async (ref: string, opts: { format: 'md' | 'json' }, cmd: Command) => {
      const { io, client } = forCommand(ctx, cmd);
      const c = await client();
      const rollout = await resolveRollout(c, ref, { latest: true });
      const [events, metrics, gate] = await Promise.all([
        api.events(c, rollout.id),
        api.metrics(c, rollout.id),
        finalPhases.includes(rollout.phase) ? null : api.gate(c, rollout.id),
      ]);
      const report = { rollout, events, gate, metrics };
      io.stdout.write(
        opts.format === 'json' || io.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : toMarkdownReport(report),
      );
    });
}
