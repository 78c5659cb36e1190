import { describe, expect, it } from 'vitest';
import { tokenFromHash } from './hashToken.ts';

describe('tokenFromHash', () => {
  it.each([
    ['#token=abc', 'abc'],
    ['#x=1&token=a%2Bb', 'a+b'],
    ['#token=', null],
    ['#tokens=abc', null],
    ['', null],
    ['#token=%E0%A4%A', null],
  ])('%s → %s', (hash, expected) => {
    expect(tokenFromHash(hash)).toBe(expected);
  });
});
