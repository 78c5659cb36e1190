import { Command, CommanderError, Option } from 'commander';
import { registerActions } from './commands/actions.ts';
import { registerHistory } from './commands/history.ts';
import { registerLogin } from './commands/login.ts';
import { registerReport } from './commands/report.ts';
import { registerStart } from './commands/start.ts';
import { registerStatus } from './commands/status.ts';
import { registerTargets } from './commands/targets.ts';
import { registerWait } from './commands/wait.ts';
import type { Context } from './context.ts';
import { CliError, ExitCode } from './exit-codes.ts';

const exitCodesHelp = `
Exit codes:
  0  done, or the awaited state reached
  1  any other error
  2  rolled back (by a person or by the gate)
  3  timed out
  4  blocked: a freeze window, or waiting for a second approver
  5  not signed in, or not allowed

Signing in: \`aviary login\`, or AVIARY_URL and AVIARY_TOKEN in the environment.
`;

export function createProgram(ctx: Context): Command {
  const program = new Command('aviary')
    .description('Manually gated canary releases on Kubernetes, from a terminal or a pipeline')
    .option('--url <url>', 'the Aviary API (default: AVIARY_URL, then `aviary login`)')
    .option('--token <token>', 'an API token (default: AVIARY_TOKEN, then `aviary login`)')
    .addOption(
      new Option('-o, --output <format>', 'table for people, json for scripts')
        .choices(['table', 'json'])
        .default('table'),
    )
    .addHelpText('after', exitCodesHelp)
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .exitOverride();
  registerLogin(program, ctx);
  registerTargets(program, ctx);
  registerStatus(program, ctx);
  registerStart(program, ctx);
  registerActions(program, ctx);
  registerHistory(program, ctx);
  registerReport(program, ctx);
  registerWait(program, ctx);
  // Subcommands print their errors and help through the same streams, and never exit the process.
  for (const cmd of program.commands) {
    cmd
      .configureOutput(program.configureOutput())
      .exitOverride()
      .showHelpAfterError('(add --help for usage and examples)');
  }
  return program;
}

/** Run one command line and answer its exit code; the caller exits the process with it. */
export async function run(argv: readonly string[], ctx: Context): Promise<ExitCode> {
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    // Help and --version "fail" with code 0; a usage error was already printed by commander.
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    const error =
      err instanceof CliError
        ? err
        : new CliError((err as Error).message ?? String(err), ExitCode.error, 'internal');
    ctx.io.stderr.write(`aviary: ${error.message}\n`);
    if (wantsJson(argv)) {
      const body = {
        error: { code: error.code, message: error.message, ...error.details },
        exitCode: error.exitCode,
      };
      ctx.io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    }
    return error.exitCode;
  }
}

/** Read from argv, since the failing command's options may never have been parsed. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (a, i) =>
      a === '-ojson' || a === '--output=json' || ((a === '-o' || a === '--output') && argv[i + 1] === 'json'),
  );
}
