import { describe, expect, it } from 'vitest';
import { type Json, jsonPatch, mergePatch, parseJsonPatch } from './patch.ts';
import { StatusError } from './status.ts';

describe('merge patch (RFC 7386)', () => {
  // The examples from RFC 7386, appendix A.
  it.each<[Json, Json, Json]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it('does not modify its inputs', () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: 2 } };
    mergePatch(target, patch);
    expect(target).toEqual({ a: { b: 1 } });
  });
});

describe('json patch (RFC 6902)', () => {
  const doc = {
    spec: { hosts: ['a'], http: [{ route: [{ weight: 100 }, { weight: 0 }] }] },
    metadata: { 'x/y': 1, 'm~n': 2 },
  };
  const apply = (ops: unknown) => jsonPatch(doc, parseJsonPatch(ops));

  it('adds, replaces and removes, including array append with "-"', () => {
    const out = apply([
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 90 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 10 },
      { op: 'add', path: '/spec/hosts/-', value: 'b' },
      { op: 'add', path: '/spec/hosts/0', value: 'first' },
      { op: 'remove', path: '/metadata/x~1y' },
      { op: 'add', path: '/spec/gateways', value: ['mesh'] },
    ]);
    expect(out).toEqual({
      spec: {
        hosts: ['first', 'a', 'b'],
        http: [{ route: [{ weight: 90 }, { weight: 10 }] }],
        gateways: ['mesh'],
      },
      metadata: { 'm~n': 2 },
    });
    expect(doc.spec.hosts).toEqual(['a']);
  });

  it('moves and copies, unescaping ~0 and ~1', () => {
    const out = apply([
      { op: 'copy', from: '/metadata/m~0n', path: '/metadata/copied' },
      { op: 'move', from: '/spec/hosts', path: '/hosts' },
    ]) as { metadata: Record<string, number>; hosts: string[]; spec: Record<string, unknown> };
    expect(out.metadata.copied).toBe(2);
    expect(out.hosts).toEqual(['a']);
    expect(out.spec.hosts).toBeUndefined();
  });

  it('passes a matching test and rejects a failing one with 422, changing nothing', () => {
    expect(apply([{ op: 'test', path: '/spec/http/0/route/0', value: { weight: 100 } }])).toEqual(doc);
    const err = catchStatus(() =>
      apply([
        { op: 'replace', path: '/spec/hosts/0', value: 'z' },
        { op: 'test', path: '/spec/hosts/0', value: 'a' },
      ]),
    );
    expect(err.code).toBe(422);
    expect(err.message).toContain('/spec/hosts/0');
    expect(doc.spec.hosts).toEqual(['a']);
  });

  it.each([
    [{ op: 'remove', path: '/spec/missing' }],
    [{ op: 'replace', path: '/spec/hosts/5', value: 1 }],
    [{ op: 'add', path: '/nope/deeper', value: 1 }],
    [{ op: 'add', path: '/spec/hosts/01', value: 1 }],
    [{ op: 'move', from: '/spec', path: '/spec/child' }],
  ])('rejects %j with 422', (op) => {
    expect(catchStatus(() => apply([op])).code).toBe(422);
  });

  it.each([
    { op: 'replace' },
    [{ op: 'frobnicate', path: '/a' }],
    [{ op: 'add', path: '/a' }],
    [{ op: 'move', path: '/a' }],
  ])('rejects malformed document %j with 400', (ops) => {
    expect(catchStatus(() => parseJsonPatch(ops)).code).toBe(400);
  });
});

function catchStatus(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}
