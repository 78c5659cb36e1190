/**
 * A minimal per-session cookie jar: what a browser does with Set-Cookie for one site. Enough for
 * sticky-canary cookies (Flagger sets one on the canary route and expires it with Max-Age=-1).
 * Domain and Path are ignored: every session talks to exactly one service.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Take in the `set-cookie` header(s) of a response. */
  store(setCookie: string | string[] | undefined): void {
    if (!setCookie) return;
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) this.storeOne(line);
  }

  /** The `cookie` request header, or undefined when the jar holds nothing live. */
  header(): string | undefined {
    const now = this.now();
    const pairs: string[] = [];
    for (const [name, c] of this.cookies) {
      if (c.expiresAt <= now) this.cookies.delete(name);
      else pairs.push(`${name}=${c.value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  private storeOne(line: string): void {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let expiresAt = Number.POSITIVE_INFINITY;
    let maxAgeSeen = false;
    for (const attr of attrs) {
      const [k = '', v = ''] = attr.split('=').map((x) => x.trim());
      const key = k.toLowerCase();
      // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
      if (key === 'max-age' && /^-?\d+$/.test(v)) {
        maxAgeSeen = true;
        const seconds = Number(v);
        expiresAt = seconds <= 0 ? Number.NEGATIVE_INFINITY : this.now() + seconds * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const at = Date.parse(v);
        if (!Number.isNaN(at)) expiresAt = at;
      }
    }
    if (expiresAt <= this.now()) this.cookies.delete(name);
    else this.cookies.set(name, { value, expiresAt });
  }
}
