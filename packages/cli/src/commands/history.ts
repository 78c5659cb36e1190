import type { Rollout } from '@aviary/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import { api, parseTarget } from '../api.ts';
import { type Context, examples, forCommand } from '../context.ts';
import { parseDuration } from '../duration.ts';
import { emit, table } from '../output.ts';
import { rolloutColumns } from '../views.ts';

/** `--since 24h` (that long ago) or an ISO date → epoch ms. */
export function sinceArg(value: string, now = Date.now()): number {
  const ago = parseDuration(value);
  if (ago !== null) return now - ago;
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new InvalidArgumentError('use a duration such as 24h or 7d, or a date such as 2026-11-01');
  return at;
}

export function registerHistory(program: Command, ctx: Context): void {
  program
    .command('history')
    .description('rollouts, newest first, finished ones included')
    .option('--since <when>', 'only those started since: a duration ago (24h, 7d) or a date', sinceArg)
    .option('--target <NS/SVC>', "only this target's")
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 50)
    .addHelpText(
      'after',
      examples('aviary history --since 7d', 'aviary history --target shop/checkout -o json'),
    )
    .action(async (opts: { since?: number; target?: string; limit: number }, cmd: Command) => {
      const { io, client } = forCommand(ctx, cmd);
      const c = await client();
      const target = opts.target ? parseTarget(opts.target) : undefined;
      if (opts.target && !target) throw new InvalidArgumentError(`"${opts.target}" is not NS/SVC`);
      const items: Rollout[] = [];
      let cursor: string | undefined;
      // Pages come newest first, so the first rollout older than --since ends the walk.
      paging: for (;;) {
        const page = await api.rollouts(c, { ...target, limit: 200, ...(cursor ? { cursor } : {}) });
        for (const r of page.items) {
          if (
            (opts.since !== undefined && Date.parse(r.createdAt) < opts.since) ||
            items.length >= opts.limit
          ) {
            break paging;
          }
          items.push(r);
        }
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      emit(io, { items }, () => (items.length ? table(items, rolloutColumns) : 'No rollouts.\n'));
    });
}
