import { type Me, authPaths, csrfHeader } from '@aviary/contracts';

/** A cookie session against the API, as a browser would hold it (for setup, not for tests of the UI). */
export class ApiSession {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    readonly me: Me,
  ) {}

  static async login(base: string, body: { token: string } | { username: string; password: string }) {
    const res = await fetch(`${base}${authPaths.login}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('sign-in set no session cookie');
    return new ApiSession(base, cookie, (await res.json()) as Me);
  }

  /** A change, with the session cookie and its CSRF token. */
  async send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        [csrfHeader]: this.me.csrfToken ?? '',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  }
}
