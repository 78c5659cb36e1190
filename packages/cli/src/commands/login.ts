import type { Command } from 'commander';
import { api } from '../api.ts';
import { ApiClient } from '../client.ts';
import { saveCredentials } from '../config.ts';
import { type Context, examples, forCommand } from '../context.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { emit } from '../output.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export function registerLogin(program: Command, ctx: Context): void {
  program
    .command('login')
    .description(
      'check --url and --token against the API and store both in your config dir, readable by you only (0600)',
    )
    .addHelpText(
      'after',
      examples(
        'aviary login --url http://127.0.0.1:8080 --token avt_0123…',
        'echo "$AVIARY_TOKEN" | aviary login --url https://aviary.example.com',
      ),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const { io } = forCommand(ctx, cmd);
      // --url and --token are the global flags every command takes.
      const flags = cmd.optsWithGlobals<{ url?: string; token?: string }>();
      const url = flags.url ?? ctx.env.AVIARY_URL;
      if (!url) {
        throw new CliError(
          'give the API with --url, e.g. http://127.0.0.1:8080',
          ExitCode.error,
          'url-missing',
        );
      }
      const token = flags.token ?? (process.stdin.isTTY ? '' : await readStdin());
      if (!token) {
        throw new CliError('give the token with --token, or pipe it in', ExitCode.error, 'token-missing');
      }
      const me = await api.me(new ApiClient({ url, token }));
      const file = await saveCredentials({ url, token }, ctx.env);
      emit(
        io,
        { url, user: me.user, role: me.role, config: file },
        () => `Signed in to ${url} as ${me.user ?? 'the bootstrap admin'} (${me.role}); stored in ${file}\n`,
      );
    });
}
