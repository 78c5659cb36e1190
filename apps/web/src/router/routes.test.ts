import { describe, expect, it } from 'vitest';
import { hrefs, matchRoute } from './routes.ts';

describe('matchRoute', () => {
  it.each([
    ['/', '', { name: 'overview' }],
    ['/history', '', { name: 'history' }],
    ['/history/', '', { name: 'history' }],
    ['/targets', '', { name: 'targets' }],
    ['/new', '', { name: 'new' }],
    ['/new', '?namespace=shop&service=checkout', { name: 'new', namespace: 'shop', service: 'checkout' }],
    ['/rollouts/r-1', '?at=2025-01-01T00:00:00.000Z', { name: 'rollout', id: 'r-1' }],
    ['/sign-in', '', { name: 'sign-in' }],
    ['/audit', '?actor=olga', { name: 'audit' }],
    ['/settings', '', { name: 'settings' }],
    ['/setup', '', { name: 'setup' }],
    ['/nope', '', { name: 'not-found', path: '/nope' }],
  ])('%s%s', (path, search, expected) => {
    expect(matchRoute(path, search)).toEqual(expected);
  });

  it('round-trips a deep link to a moment', () => {
    const href = hrefs.rollout('abc', '2025-01-01T00:00:00.000Z');
    const url = new URL(href, 'http://x');
    expect(matchRoute(url.pathname, url.search)).toEqual({ name: 'rollout', id: 'abc' });
    expect(url.searchParams.get('at')).toBe('2025-01-01T00:00:00.000Z');
  });
});
