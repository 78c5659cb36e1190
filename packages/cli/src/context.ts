import { type Command, InvalidArgumentError, Option } from 'commander';
import { ApiClient } from './client.ts';
import { resolveCredentials } from './config.ts';
import { parseDuration } from './duration.ts';
import type { Io, OutputFormat } from './output.ts';
import { progressOn } from './progress.ts';

/** What every command gets: where to write, and the API signed in as the caller. */
export interface Context {
  io: Io;
  env: NodeJS.ProcessEnv;
  /** How often waiting commands look at the rollout again. */
  pollMs: number;
}

interface GlobalOptions {
  url?: string;
  token?: string;
  output: OutputFormat;
}

/** The command's global flags resolved: output format, and the API client (signed in or exit 5). */
export function forCommand(ctx: Context, cmd: Command) {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const io: Io = { ...ctx.io, format: globals.output };
  return {
    io,
    progress: () => progressOn(io),
    client: async () => new ApiClient(await resolveCredentials(globals, ctx.env)),
  };
}

/** commander argument parser for `--timeout 10m`. */
export function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) {
    throw new InvalidArgumentError('use a duration such as 90s, 10m or 1h30m');
  }
  return ms;
}

/** `--timeout <duration>` with its default shown as people write it. */
export function timeoutOption(defaultMs: number, label: string, what: string): Option {
  return new Option('--timeout <duration>', what).argParser(durationArg).default(defaultMs, label);
}

export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
