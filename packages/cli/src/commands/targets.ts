import type { Command } from 'commander';
import { api } from '../api.ts';
import { type Context, examples, forCommand } from '../context.ts';
import { emit, table } from '../output.ts';
import { targetColumns } from '../views.ts';

export function registerTargets(program: Command, ctx: Context): void {
  program
    .command('targets')
    .description('the services Aviary can canary, with their live weights and what each still lacks')
    .addHelpText('after', examples('aviary targets', "aviary targets -o json | jq -r '.items[].service'"))
    .action(async (_opts: unknown, cmd: Command) => {
      const { io, client } = forCommand(ctx, cmd);
      const items = await api.targets(await client());
      emit(io, { items }, () => table(items, targetColumns));
    });
}
