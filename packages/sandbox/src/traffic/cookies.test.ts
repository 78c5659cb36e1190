import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookies.ts';

describe('cookie jar', () => {
  it('keeps cookies and sends them back', () => {
    const jar = new CookieJar();
    expect(jar.header()).toBeUndefined();
    jar.store(['a=1; Path=/; HttpOnly', 'canary=1; Max-Age=60']);
    expect(jar.header()).toBe('a=1; canary=1');
    jar.store('a=2');
    expect(jar.header()).toBe('a=2; canary=1');
  });

  it('honours Max-Age expiry and deletion (Flagger expires the canary cookie with Max-Age=-1)', () => {
    let now = 1_000_000;
    const jar = new CookieJar(() => now);
    jar.store(['short=1; Max-Age=10', 'long=1; Max-Age=100']);
    now += 11_000;
    expect(jar.header()).toBe('long=1');
    jar.store('long=1; Max-Age=-1');
    expect(jar.header()).toBeUndefined();
  });

  it('honours Expires, and Max-Age over Expires', () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const jar = new CookieJar(() => now);
    jar.store([
      'gone=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT',
      'e=1; Expires=Tue, 01 Jan 2030 00:01:00 GMT',
      'm=1; Max-Age=600; Expires=Wed, 21 Oct 2015 07:28:00 GMT',
    ]);
    expect(jar.header()).toBe('e=1; m=1');
    now += 120_000;
    expect(jar.header()).toBe('m=1');
  });

  it('ignores malformed lines', () => {
    const jar = new CookieJar();
    jar.store(['novalue', '=x', '']);
    expect(jar.header()).toBeUndefined();
  });
});
