import { ErrorBody } from '@aviary/contracts';
import type { z } from 'zod';
import { CliError, ExitCode, exitCodeOfApiError } from './exit-codes.ts';

export interface Credentials {
  url: string;
  token: string;
}

export interface ApiResult<T> {
  status: number;
  body: T;
}

/** Fill `:name` placeholders of a contracts path. */
export function pathOf(template: string, params: Record<string, string> = {}): string {
  return template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/**
 * The API over fetch with a bearer token. Every answer is parsed with the contracts schema the
 * API itself answers with, so a server of another version fails loudly instead of half-working.
 */
export class ApiClient {
  constructor(readonly credentials: Credentials) {}

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    opts: { body?: unknown; query?: Record<string, string | number | boolean | undefined> } = {},
  ): Promise<ApiResult<z.infer<S>>> {
    const url = new URL(path, this.credentials.url);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.credentials.token}`,
          accept: 'application/json',
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (err) {
      // undici hides the socket error (ECONNREFUSED, ENOTFOUND…) in `cause`, sometimes one level down.
      const cause = (err as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } })
        .cause;
      const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (err as Error).message;
      throw new CliError(
        `cannot reach Aviary at ${this.credentials.url} (${reason}); check --url, AVIARY_URL or \`aviary login\``,
        ExitCode.error,
        'unreachable',
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(
        `${method} ${url.pathname} answered ${res.status} with something other than JSON; is ${this.credentials.url} an Aviary API?`,
        ExitCode.error,
        'bad-response',
      );
    }
    if (!res.ok) throw apiError(res.status, json, `${method} ${url.pathname}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new CliError(
        `${method} ${url.pathname} answered in a shape this aviary command does not know (${parsed.error.issues[0]?.message}); use a CLI of the server's version`,
        ExitCode.error,
        'bad-response',
      );
    }
    return { status: res.status, body: parsed.data };
  }
}

function apiError(status: number, json: unknown, what: string): CliError {
  const parsed = ErrorBody.safeParse(json);
  const code = parsed.success ? parsed.data.error.code : `http-${status}`;
  let message = parsed.success ? parsed.data.error.message : `${what} answered ${status}`;
  if (code === 'gate-not-passed') message += ' (here: --override --reason "<why>")';
  if (status === 401) {
    message += '; sign in with `aviary login --url <api> --token <token>` or set AVIARY_URL and AVIARY_TOKEN';
  }
  const details = parsed.success
    ? { status, ...(parsed.data.error.field ? { field: parsed.data.error.field } : {}) }
    : { status };
  return new CliError(message, exitCodeOfApiError(status, code), code, details);
}
