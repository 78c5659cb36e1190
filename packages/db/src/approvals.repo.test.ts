import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aRollout } from '../test/fixtures.ts';
import { ApprovalsRepo, type StoredApproval } from './approvals.repo.ts';
import { type AviaryDb, createTestDb } from './client.ts';
import { PoliciesRepo } from './policies.repo.ts';
import { SqliteHistoryStore } from './rollouts.repo.ts';

let handle: AviaryDb;
let repo: ApprovalsRepo;
let rolloutId: string;

beforeEach(() => {
  handle = createTestDb();
  repo = new ApprovalsRepo(handle);
  rolloutId = new SqliteHistoryStore(handle).create(aRollout(), []).rollout.id;
});
afterEach(() => handle.close());

const pending = (over: Partial<StoredApproval> = {}): StoredApproval => ({
  id: 'a-1',
  rolloutId,
  namespace: 'shop',
  service: 'checkout',
  action: { type: 'promote', override: true, reason: 'quiet night' },
  requestedBy: 'alice',
  requestedById: 'user:u-alice',
  requestedAt: '2025-03-01T12:00:00.000Z',
  expiresAt: '2025-03-02T12:00:00.000Z',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  ...over,
});

describe('ApprovalsRepo', () => {
  it('keeps the action as requested and finds the pending one of a rollout', () => {
    expect(repo.create(pending())).toEqual(pending());
    expect(repo.get('a-1')).toEqual(pending());
    expect(repo.pendingFor(rolloutId)?.id).toBe('a-1');
    expect(repo.get('nope')).toBeNull();
  });

  it('allows one pending approval per rollout, and a new one once it is decided', () => {
    repo.create(pending());
    expect(() => repo.create(pending({ id: 'a-2' }))).toThrow(
      expect.objectContaining({ code: 'approval-pending', details: { approvalId: 'a-1' } }),
    );
    expect(repo.decide('a-1', 'withdrawn', 'alice', '2025-03-01T12:01:00.000Z')).toMatchObject({
      status: 'withdrawn',
      decidedBy: 'alice',
    });
    expect(repo.create(pending({ id: 'a-2', requestedAt: '2025-03-01T12:02:00.000Z' })).status).toBe(
      'pending',
    );
    expect(repo.list({ rolloutId }, 10).map((a) => a.id)).toEqual(['a-2', 'a-1']);
    expect(repo.list({ status: 'pending' }, 10).map((a) => a.id)).toEqual(['a-2']);
  });

  it('decides only once', () => {
    repo.create(pending());
    expect(repo.decide('a-1', 'approved', 'bob', '2025-03-01T12:01:00.000Z')?.status).toBe('approved');
    expect(repo.decide('a-1', 'withdrawn', 'alice', '2025-03-01T12:02:00.000Z')).toBeNull();
    expect(repo.get('a-1')).toMatchObject({ status: 'approved', decidedBy: 'bob' });
  });

  it('expires pending approvals whose time ran out, as aviary at their expiry, and frees the rollout', () => {
    repo.create(pending());
    expect(repo.expireDue('2025-03-02T11:59:59.999Z')).toBe(0);
    expect(repo.expireDue('2025-03-02T12:00:00.000Z')).toBe(1);
    expect(repo.get('a-1')).toMatchObject({
      status: 'expired',
      decidedBy: 'aviary',
      decidedAt: '2025-03-02T12:00:00.000Z',
    });
    expect(repo.decide('a-1', 'approved', 'bob', '2025-03-02T12:00:01.000Z')).toBeNull();
    expect(repo.pendingFor(rolloutId)).toBeNull();
    expect(repo.create(pending({ id: 'a-2' })).status).toBe('pending');
  });

  it('refuses an approval for a rollout that does not exist', () => {
    expect(() => repo.create(pending({ rolloutId: 'nope' }))).toThrow(/FOREIGN KEY/);
  });
});

describe('PoliciesRepo', () => {
  it('replaces a target policy as a whole', () => {
    const policies = new PoliciesRepo(handle);
    expect(policies.get('shop', 'checkout')).toBeNull();
    const first = {
      namespace: 'shop',
      service: 'checkout',
      policy: { requireApproval: true, freezeWindows: [] },
      updatedAt: '2025-03-01T12:00:00.000Z',
      updatedBy: 'root',
    };
    policies.put(first);
    const window = {
      timezone: 'Europe/Berlin',
      start: { day: 'fri' as const, time: '16:00' },
      end: { day: 'mon' as const, time: '08:00' },
    };
    policies.put({ ...first, policy: { requireApproval: false, freezeWindows: [window] }, updatedBy: 'ops' });
    expect(policies.get('shop', 'checkout')).toEqual({
      ...first,
      policy: { requireApproval: false, freezeWindows: [window] },
      updatedBy: 'ops',
    });
    expect(policies.get('shop', 'cart')).toBeNull();
  });
});
