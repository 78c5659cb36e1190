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
      'check a token against the API and store both in your config dir, readable by you only (mode 0600)',
    )
    .requiredOption('--url <url>', 'the Aviary API, e.g. http://127.0.0.1:8080', ctx.env.AVIARY_URL)
    .option('--token <token>', 'an API token (aviary_…); read from standard input when left out')
    .addHelpText(
      'after',
      examples(
        'aviary login --url http://127.0.0.1:8080 --token avt_0123…',
        'echo "$AVIARY_TOKEN" | aviary login --url https://aviary.example.com',
      ),
    )
    .action(async (opts: { url: string; token?: string }, cmd: Command) => {
      const { io } = forCommand(ctx, cmd);
      const token = opts.token ?? (process.stdin.isTTY ? '' : await readStdin());
      if (!token) {
        throw new CliError('give the token with --token, or pipe it in', ExitCode.error, 'token-missing');
      }
      const me = await api.me(new ApiClient({ url: opts.url, token }));
      const file = await saveCredentials({ url: opts.url, token }, ctx.env);
      emit(
        io,
        { url: opts.url, user: me.user, role: me.role, config: file },
        () =>
          `Signed in to ${opts.url} as ${me.user ?? 'the bootstrap admin'} (${me.role}); stored in ${file}\n`,
      );
    });
}
