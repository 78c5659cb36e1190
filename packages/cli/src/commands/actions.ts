import {
  type ActionRequest,
  type ActionType,
  ActionRequest as ActionSchema,
  type Rollout,
} from '@aviary/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import { api, blockedByApproval, isPendingApproval, resolveRollout } from '../api.ts';
import type { ApiClient } from '../client.ts';
import { type Context, timeoutOption, examples, forCommand } from '../context.ts';
import { formatSeconds } from '../duration.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { emit } from '../output.ts';
import { rolloutLine } from '../views.ts';

interface ActionOptions {
  reason?: string;
  override?: boolean;
  timeout: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An action the API accepted but still carries out (202): follow it until the cluster has done it. */
async function settle(c: ApiClient, rollout: Rollout, ctx: Context, timeoutMs: number): Promise<Rollout> {
  const deadline = Date.now() + timeoutMs;
  let current = rollout;
  while (current.operation) {
    if (Date.now() >= deadline) {
      throw new CliError(
        `timed out after ${formatSeconds(timeoutMs / 1000)} waiting for ${current.operation} to finish: ${rolloutLine(current)}`,
        ExitCode.timedOut,
        'timed-out',
        { rollout: current },
      );
    }
    await sleep(ctx.pollMs);
    current = await api.rollout(c, rollout.id);
  }
  return current;
}

async function act(ctx: Context, cmd: Command, ref: string, action: ActionRequest, timeoutMs: number) {
  const { io, client } = forCommand(ctx, cmd);
  const parsed = ActionSchema.safeParse(action);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(
      `${issue.path.join('.') || action.type}: ${issue.message}`,
      ExitCode.error,
      'invalid-request',
    );
  }
  const c = await client();
  const target = await resolveRollout(c, ref);
  const answer = await api.act(c, target.id, parsed.data);
  if (isPendingApproval(answer)) throw blockedByApproval(answer);
  const done = await settle(c, answer, ctx, timeoutMs);
  emit(io, done, () => `${rolloutLine(done)}\n`);
}

const weightArg = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('a whole percentage from 0 to 100');
  return n;
};

const clusterTimeout = () =>
  timeoutOption(5 * 60_000, '5m', 'wait at most this long for the cluster (exit 3)');

const rolloutArg = "a rollout id, or NS/SVC for that target's active rollout";

export function registerActions(program: Command, ctx: Context): void {
  const simple: [ActionType, string, string][] = [
    [
      'step',
      "move to the plan's next weight (needs a passing gate, or --override with a reason)",
      'aviary step shop/checkout',
    ],
    [
      'pause',
      'hold the rollout where it is; the gate keeps watching',
      'aviary pause shop/checkout --reason "waiting for the on-call"',
    ],
    ['resume', 'carry on after a pause', 'aviary resume shop/checkout'],
    [
      'promote',
      'give the canary all traffic and make its image stable',
      'aviary promote shop/checkout --reason "all numbers good"',
    ],
  ];
  for (const [type, description, example] of simple) {
    program
      .command(type)
      .description(description)
      .argument('<rollout>', rolloutArg)
      .option('--reason <text>', 'why, as the history and the audit trail will show it')
      .option('--override', 'act although the gate has not passed (needs --reason)')
      .addOption(clusterTimeout())
      .addHelpText(
        'after',
        examples(example, `aviary ${type} 01JD6Z3K… --override --reason "metrics outage, checked by hand"`),
      )
      .action((ref: string, opts: ActionOptions, cmd: Command) =>
        act(ctx, cmd, ref, { type, ...pick(opts) }, opts.timeout),
      );
  }

  program
    .command('set-weight')
    .description('send this share of traffic to the canary, up or down')
    .argument('<rollout>', rolloutArg)
    .argument('<weight>', 'percent, 0 to 100', weightArg)
    .option('--reason <text>', 'why, as the history and the audit trail will show it')
    .option('--override', 'raise the weight although the gate has not passed (needs --reason)')
    .addOption(clusterTimeout())
    .addHelpText(
      'after',
      examples(
        'aviary set-weight shop/checkout 10',
        'aviary set-weight shop/checkout 0 --reason "hold traffic back"',
      ),
    )
    .action((ref: string, weight: number, opts: ActionOptions, cmd: Command) =>
      act(ctx, cmd, ref, { type: 'set-weight', weight, ...pick(opts) }, opts.timeout),
    );

  program
    .command('rollback')
    .description('send all traffic back to stable now and remove the canary; never frozen')
    .argument('<rollout>', rolloutArg)
    .requiredOption('--reason <text>', 'why, as the history and the audit trail will show it')
    .addOption(clusterTimeout())
    .addHelpText('after', examples('aviary rollback shop/checkout --reason "p99 up after the cache change"'))
    .action((ref: string, opts: ActionOptions, cmd: Command) =>
      act(ctx, cmd, ref, { type: 'rollback', reason: opts.reason! }, opts.timeout),
    );

  program
    .command('approve')
    .description('approve the promotion waiting for a second operator (not your own)')
    .argument('<rollout>', rolloutArg)
    .addOption(clusterTimeout())
    .addHelpText('after', examples('aviary approve shop/checkout'))
    .action(async (ref: string, opts: ActionOptions, cmd: Command) => {
      const { io, client } = forCommand(ctx, cmd);
      const c = await client();
      const rollout = await resolveRollout(c, ref);
      const [pending] = await api.pendingApprovals(c, rollout.id);
      if (!pending) {
        throw new CliError(
          `nothing waits for approval on ${rolloutLine(rollout)}`,
          ExitCode.error,
          'approval-not-found',
        );
      }
      const done = await settle(c, await api.approve(c, pending.id), ctx, opts.timeout);
      emit(
        io,
        done,
        () => `Approved ${pending.action.type} requested by ${pending.requestedBy}: ${rolloutLine(done)}\n`,
      );
    });
}

function pick(opts: ActionOptions): Pick<ActionRequest, 'reason' | 'override'> {
  return { ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.override ? { override: true } : {}) };
}
