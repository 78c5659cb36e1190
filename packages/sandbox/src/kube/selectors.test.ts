import { describe, expect, it } from 'vitest';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { StatusError } from './status.ts';
import type { KubeObject } from './store.ts';

const labels = { app: 'web', tier: 'front', 'example.com/team': 'shop', size: '5' };
const matches = (selector: string, ...l: [Record<string, string> | undefined] | []) =>
  matchesLabels(parseLabelSelector(selector), l.length === 0 ? labels : l[0]);

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app in (api,db)', false],
    ['app notin (api,db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['missing in (web)', false],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['example.com/team=shop', true],
    ['app=web,tier in (front,back),!legacy', true],
    ['app=web,tier=back', false],
    ['size>4', true],
    ['size<5', false],
    ['app=', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(matches(selector)).toBe(expected);
  });

  it('treats an empty value as matching only an empty or absent-for-!= label', () => {
    expect(matches('app=', { app: '' })).toBe(true);
    expect(matches('app!=', {})).toBe(true);
  });

  it('matches objects without labels only for negative requirements', () => {
    expect(matches('app=web', undefined)).toBe(false);
    expect(matches('!app', undefined)).toBe(true);
    expect(matches('app notin (web)', undefined)).toBe(true);
  });

  it.each(['app in ()', 'app in (a', 'bad key=x', 'app=bad value!', ',', 'size>abc'])(
    'rejects %j with 400',
    (selector) => {
      try {
        parseLabelSelector(selector);
        expect.unreachable(`"${selector}" parsed`);
      } catch (err) {
        expect(err).toBeInstanceOf(StatusError);
        expect((err as StatusError).code).toBe(400);
      }
    },
  );
});

describe('field selectors', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
  } satisfies KubeObject;

  it('matches metadata.name and metadata.namespace with =, == and !=', () => {
    expect(matchesFields(parseFieldSelector('metadata.name=web'), obj)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.name==api'), obj)).toBe(false);
    expect(matchesFields(parseFieldSelector('metadata.namespace!=shop'), obj)).toBe(false);
    expect(matchesFields(parseFieldSelector('metadata.name=web,metadata.namespace!=prod'), obj)).toBe(true);
  });

  it('rejects unsupported fields like the API server does', () => {
    expect(() => parseFieldSelector('spec.nodeName=x')).toThrow('field label not supported: spec.nodeName');
    expect(() => parseFieldSelector('metadata.name')).toThrow(StatusError);
  });
});
