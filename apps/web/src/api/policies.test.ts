import type { Approval } from '@aviary/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { approvalFixture, rolloutFixture } from '../test/fixtures.ts';
import { toOutcome } from './mutations.ts';
import { applyApproval } from './policies.ts';
import { queryKeys } from './queryKeys.ts';
import { parseStreamMessage } from './stream.ts';
import { applyStreamMessage } from './streamCache.ts';

const items = (client: QueryClient, rolloutId: string | null) =>
  client.getQueryData<{ items: Approval[] }>(queryKeys.pendingApprovals(rolloutId))?.items.map((a) => a.id);

describe('the actions route answer', () => {
  it('a rollout is done; a 202 with an approval waits for a second operator', () => {
    const rollout = rolloutFixture();
    expect(toOutcome(rollout)).toEqual({ kind: 'done', rollout });
    const approval = approvalFixture();
    expect(toOutcome({ approval, rollout })).toEqual({ kind: 'pending', approval, rollout });
  });
});

describe('approvals in the cache', () => {
  it('a pending approval joins the lists it belongs to; a decided one leaves them', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.pendingApprovals('r1'), { items: [] });
    client.setQueryData(queryKeys.pendingApprovals('r2'), { items: [] });
    client.setQueryData(queryKeys.pendingApprovals(null), { items: [] });
    applyApproval(client, approvalFixture());
    expect(items(client, 'r1')).toEqual(['a1']);
    expect(items(client, 'r2')).toEqual([]);
    expect(items(client, null)).toEqual(['a1']);
    applyApproval(client, approvalFixture({ status: 'approved', decidedBy: 'otto' }));
    expect(items(client, 'r1')).toEqual([]);
    expect(items(client, null)).toEqual([]);
  });

  it('the stream’s approval message updates them', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.pendingApprovals('r1'), { items: [] });
    const message = parseStreamMessage({ type: 'approval', approval: approvalFixture() });
    expect(message?.type).toBe('approval');
    if (message) applyStreamMessage(client, message);
    expect(items(client, 'r1')).toEqual(['a1']);
    const withdrawn = parseStreamMessage({
      type: 'approval',
      approval: approvalFixture({ status: 'withdrawn', decidedBy: 'olga' }),
    });
    if (withdrawn) applyStreamMessage(client, withdrawn);
    expect(items(client, 'r1')).toEqual([]);
  });

  it('ignores a malformed approval message', () => {
    expect(parseStreamMessage({ type: 'approval', approval: { id: 1 } })).toBeNull();
  });
});
