import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Credentials } from './client.ts';
import { CliError, ExitCode } from './exit-codes.ts';

const StoredConfig = z.object({ url: z.url(), token: z.string().min(1) });

/** `$XDG_CONFIG_HOME/aviary/config.json` (`~/.config` by default; `%APPDATA%` on Windows). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME ||
    (process.platform === 'win32' && env.APPDATA ? env.APPDATA : join(homedir(), '.config'));
  return join(base, 'aviary', 'config.json');
}

/** Store the API address and token readable by this user only (the token acts as them). */
export async function saveCredentials(credentials: Credentials, env = process.env): Promise<string> {
  const file = configPath(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only to a new file; an older one may have been wider.
  await chmod(file, 0o600);
  return file;
}

async function storedCredentials(env: NodeJS.ProcessEnv): Promise<Credentials | null> {
  let text: string;
  try {
    text = await readFile(configPath(env), 'utf8');
  } catch {
    return null;
  }
  const parsed = StoredConfig.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** Flags first, then AVIARY_URL / AVIARY_TOKEN, then what `aviary login` stored. */
export async function resolveCredentials(
  flags: { url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials> {
  const stored = await storedCredentials(env);
  const url = flags.url ?? env.AVIARY_URL ?? stored?.url;
  const token = flags.token ?? env.AVIARY_TOKEN ?? stored?.token;
  if (!url || !token) {
    throw new CliError(
      `not signed in: run \`aviary login --url <api> --token <token>\`, or set AVIARY_URL and AVIARY_TOKEN`,
      ExitCode.denied,
      'not-signed-in',
    );
  }
  return { url, token };
}
