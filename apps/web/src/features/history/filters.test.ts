import { describe, expect, it } from 'vitest';
import { rolloutFixture } from '../../test/fixtures.ts';
import { distinctTargets, emptyFilter, filterRollouts } from './filters.ts';

const rollouts = [
  rolloutFixture({
    id: 'a',
    phase: 'promoted',
    createdBy: 'alice',
    createdAt: '2025-01-01T10:00:00Z',
    updatedAt: '2025-01-01T11:00:00Z',
  }),
  rolloutFixture({
    id: 'b',
    phase: 'rolled-back',
    createdBy: 'admin',
    target: { namespace: 'shop', service: 'cart', router: 'gateway-api' },
    createdAt: '2025-01-03T10:00:00Z',
    updatedAt: '2025-01-03T10:30:00Z',
  }),
  rolloutFixture({
    id: 'c',
    phase: 'progressing',
    createdBy: 'admin',
    createdAt: '2025-01-02T23:00:00Z',
    updatedAt: '2025-01-03T01:00:00Z',
  }),
];

describe('filterRollouts', () => {
  it.each([
    ['nothing', {}, ['a', 'b', 'c']],
    ['target', { target: 'shop/cart' }, ['b']],
    ['phase', { phase: 'rolled-back' as const }, ['b']],
    ['actor, case-insensitive part', { actor: 'ALI' }, ['a']],
    ['from a day (includes a rollout still running into it)', { from: '2025-01-03' }, ['b', 'c']],
    ['up to a day', { to: '2025-01-01' }, ['a']],
    ['combined', { from: '2025-01-02', actor: 'admin', phase: 'progressing' as const }, ['c']],
  ])('by %s', (_name, filter, ids) => {
    expect(filterRollouts(rollouts, { ...emptyFilter, ...filter }).map((r) => r.id)).toEqual(ids);
  });

  it('lists each target once', () => {
    expect(distinctTargets(rollouts)).toEqual(['shop/cart', 'shop/checkout']);
  });
});
