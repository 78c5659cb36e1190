import { createDb } from '@aviary/db';
import type { Json, Stack } from './harness.ts';
import { token as bootstrapToken } from './harness.ts';

export interface Reply {
  status: number;
  body: Json;
  headers: Record<string, string | string[] | number | undefined>;
}

/** One request through app.inject(), so tests can choose the client address. */
export async function call(
  stack: Stack,
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; payload?: unknown; remoteAddress?: string } = {},
): Promise<Reply> {
  const res = await stack.server.app.inject({
    method: method as 'GET',
    url,
    headers: opts.headers,
    payload: opts.payload as Json,
    remoteAddress: opts.remoteAddress,
  });
  let body: Json;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, headers: res.headers };
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
export const admin = bearer(bootstrapToken);

export async function createToken(
  stack: Stack,
  role: string,
  as: Record<string, string> = admin,
  name = `${role}-token`,
) {
  const res = await call(stack, 'POST', '/api/v1/tokens', { headers: as, payload: { name, role } });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; token: string };
}

export async function createUser(
  stack: Stack,
  username: string,
  role: string,
  password = 'correct horse battery',
) {
  const res = await call(stack, 'POST', '/api/v1/users', {
    headers: admin,
    payload: { username, password, role },
  });
  if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(res.body as { id: string }), password };
}

/** Sign in; returns the cookie header to send back and the CSRF token. */
export async function login(stack: Stack, payload: unknown, remoteAddress?: string) {
  const res = await call(stack, 'POST', '/api/v1/auth/login', { payload, remoteAddress });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = String(res.headers['set-cookie']);
  return {
    cookie: setCookie.split(';')[0] ?? '',
    setCookie,
    csrfToken: res.body.csrfToken as string,
    me: res.body,
  };
}

/** A second connection to the stack's SQLite file, as an operator with a shell would have. */
export function rawDb(stack: Stack) {
  return createDb(stack.env.AVIARY_DB ?? '');
}
