import type { Verdict } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { rolloutFixture } from '../../test/fixtures.ts';
import { recentFinished, sortActive } from './overview.ts';

describe('sortActive', () => {
  const rollouts = [
    rolloutFixture({ id: 'busy', operation: 'set-weight', createdAt: '2025-01-01T08:00:00Z' }),
    rolloutFixture({ id: 'undecided-old', createdAt: '2025-01-01T08:30:00Z' }),
    rolloutFixture({ id: 'ready', createdAt: '2025-01-01T09:00:00Z' }),
    rolloutFixture({ id: 'failing', phase: 'paused', createdAt: '2025-01-01T09:30:00Z' }),
    rolloutFixture({ id: 'starting', phase: 'starting', createdAt: '2025-01-01T07:00:00Z' }),
    rolloutFixture({ id: 'done', phase: 'promoted' }),
  ];
  const verdicts = new Map<string, Verdict>([
    ['ready', 'pass'],
    ['failing', 'fail'],
    ['undecided-old', 'inconclusive'],
    ['busy', 'pass'],
  ]);

  it('puts rollouts waiting at a gate first, ready ones before failing before undecided, then the rest by age', () => {
    expect(sortActive(rollouts, verdicts).map((i) => i.rollout.id)).toEqual([
      'ready',
      'failing',
      'undecided-old',
      'starting',
      'busy',
    ]);
  });

  it('marks who is waiting', () => {
    const items = sortActive(rollouts, verdicts);
    expect(items.find((i) => i.rollout.id === 'busy')?.waiting).toBe(false);
    expect(items.find((i) => i.rollout.id === 'failing')?.waiting).toBe(true);
  });
});

describe('recentFinished', () => {
  it('keeps finished ones, newest first', () => {
    const list = recentFinished([
      rolloutFixture({ id: 'a', phase: 'promoted', updatedAt: '2025-01-01T08:00:00Z' }),
      rolloutFixture({ id: 'b', phase: 'rolled-back', updatedAt: '2025-01-01T09:00:00Z' }),
      rolloutFixture({ id: 'c' }),
    ]);
    expect(list.map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('sortActive with approvals', () => {
  it('puts rollouts waiting for a second operator first, and says who asked', async () => {
    const { approvalFixture } = await import('../../test/fixtures.ts');
    const { approvalsByRollout } = await import('./overview.ts');
    const rollouts = [
      rolloutFixture({ id: 'ready', createdAt: '2025-01-01T08:00:00Z' }),
      rolloutFixture({ id: 'asking', createdAt: '2025-01-01T09:00:00Z' }),
    ];
    const approvals = approvalsByRollout([
      approvalFixture({ rolloutId: 'asking', requestedBy: 'olga' }),
      approvalFixture({ id: 'old', rolloutId: 'ready', status: 'approved' }),
    ]);
    const items = sortActive(rollouts, new Map([['ready', 'pass']]), approvals);
    expect(items.map((i) => i.rollout.id)).toEqual(['asking', 'ready']);
    expect(items[0]?.approval?.requestedBy).toBe('olga');
    expect(items[1]?.approval).toBeNull();
  });
});
