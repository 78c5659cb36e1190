import { StartRolloutRequest } from '@aviary/contracts';
import { Option, type Command } from 'commander';
import { api, parseTarget } from '../api.ts';
import { type Context, timeoutOption, examples, forCommand } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { emit } from '../output.ts';
import { rolloutDetail, rolloutLine } from '../views.ts';
import { type Until, waitUntil } from '../wait.ts';

interface StartOptions {
  image: string;
  steps?: string;
  reason?: string;
  waitUntil?: Extract<Until, 'gate-passed' | 'promoted'>;
  timeout: number;
}

function request(ref: string, opts: StartOptions) {
  const target = parseTarget(ref);
  if (!target) {
    throw new CliError(`"${ref}" is not NS/SVC, e.g. shop/checkout`, ExitCode.error, 'invalid-request');
  }
  const steps = opts.steps?.split(',').map((s) => Number(s.trim()));
  const parsed = StartRolloutRequest.safeParse({
    ...target,
    image: opts.image,
    ...(steps ? { steps } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new CliError(`${field}: ${issue.message}`, ExitCode.error, 'invalid-request', { field });
  }
  return parsed.data;
}

export function registerStart(program: Command, ctx: Context): void {
  program
    .command('start')
    .description('start a canary of NS/SVC with a new image; with --wait-until, one pipeline step')
    .argument('<target>', 'NS/SVC, e.g. shop/checkout')
    .requiredOption('--image <image>', 'the candidate image, e.g. registry.local/shop/checkout:1.1.0')
    .option('--steps <weights>', 'the plan as increasing percentages, e.g. 1,5,25 (default 1,5,25,50,75,100)')
    .option('--reason <text>', 'why, as the history and the audit trail will show it')
    .addOption(
      new Option(
        '--wait-until <state>',
        "gate-passed: wait for the first step's gate; promoted: take each next step as its gate passes, then promote",
      ).choices(['gate-passed', 'promoted']),
    )
    .addOption(timeoutOption(30 * 60_000, '30m', 'give up waiting after this long (exit 3)'))
    .addHelpText(
      'after',
      examples(
        'aviary start shop/checkout --image registry.local/shop/checkout:1.1.0 --reason "release 1.1"',
        'aviary start shop/checkout --image "$IMAGE" --steps 5,25,100 --wait-until promoted --timeout 45m',
      ) +
        '\nWith --wait-until promoted it exits 0 once promoted, 2 if rolled back (by a person or the gate),\n3 on timeout, 4 if a freeze window or a second approver holds the promotion.\n',
    )
    .action(async (ref: string, opts: StartOptions, cmd: Command) => {
      const { io, client, progress } = forCommand(ctx, cmd);
      const body = request(ref, opts);
      const c = await client();
      if (opts.waitUntil === 'promoted') {
        // A frozen target cannot be promoted: say so before a canary takes any traffic.
        const policy = await api.policy(c, body.namespace, body.service);
        if (policy.frozen) {
          const why = policy.frozen.window.reason ? ` (${policy.frozen.window.reason})` : '';
          throw new CliError(
            `promotion of ${ref} is frozen until ${policy.frozen.until}${why}; start it after the window or without --wait-until promoted`,
            ExitCode.blocked,
            'change-frozen',
            { frozen: policy.frozen },
          );
        }
      }
      const rollout = await api.start(c, body);
      if (!opts.waitUntil) {
        emit(io, rollout, () => `Started ${rolloutLine(rollout)}\n`);
        return;
      }
      io.stderr.write(`Started ${rolloutLine(rollout)}\n`);
      const result = await waitUntil(c, rollout.id, {
        until: opts.waitUntil,
        timeoutMs: opts.timeout,
        pollMs: ctx.pollMs,
        progress: progress(),
        drive: opts.waitUntil === 'promoted',
      });
      emit(io, result, () => rolloutDetail(result.rollout, result.gate));
    });
}
