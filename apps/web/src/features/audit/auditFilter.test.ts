import type { AuditRecord } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import {
  auditJson,
  emptyAuditFilter,
  exportName,
  rangeProblem,
  rolloutOf,
  summarize,
  toAuditQuery,
} from './auditFilter.ts';

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  id: 1,
  at: '2025-03-01T10:00:00.000Z',
  actor: 'olga',
  role: 'operator',
  sourceAddress: '127.0.0.1',
  action: 'rollout-action',
  subject: 'rollout/r-1',
  before: { phase: 'progressing', weight: 10 },
  after: {
    phase: 'progressing',
    weight: 50,
    request: { type: 'step', override: true, reason: 'low traffic' },
  },
  reason: 'low traffic',
  ...over,
});

describe('toAuditQuery', () => {
  it('leaves out what is empty', () => {
    expect(toAuditQuery(emptyAuditFilter)).toEqual({});
  });

  it('turns whole UTC days into instants and trims the actor', () => {
    expect(toAuditQuery({ actor: ' olga ', action: 'login', from: '2025-03-01', to: '2025-03-02' })).toEqual({
      actor: 'olga',
      action: 'login',
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-02T23:59:59.999Z',
    });
  });

  it('says when the range is upside down', () => {
    expect(rangeProblem({ ...emptyAuditFilter, from: '2025-03-02', to: '2025-03-01' })).toMatch(/after/);
    expect(rangeProblem({ ...emptyAuditFilter, from: '2025-03-01', to: '2025-03-01' })).toBeNull();
  });
});

describe('summarize', () => {
  it('names an overridden step with its weights', () => {
    expect(summarize(record())).toBe('step 10% → 50% (gate overridden)');
  });

  it('a rollback', () => {
    expect(
      summarize(
        record({ before: { weight: 50 }, after: { weight: 0, request: { type: 'rollback', reason: 'x' } } }),
      ),
    ).toBe('rollback 50% → 0%');
  });

  it('a start names the image; other actions fall back to their name', () => {
    expect(
      summarize(record({ action: 'rollout-started', before: null, after: { canaryImage: 'shop:1.1' } })),
    ).toBe('started shop:1.1');
    expect(summarize(record({ action: 'login', before: null, after: { method: 'password' } }))).toBe('login');
    expect(summarize(record({ action: 'settings-changed', after: { anonymousRead: true } }))).toBe(
      'anonymous read on',
    );
  });

  it('survives before/after of any shape', () => {
    expect(summarize(record({ before: 'x', after: [1, 2] }))).toBe('action');
  });
});

describe('exports', () => {
  it('links a record to its rollout', () => {
    expect(rolloutOf(record())).toBe('r-1');
    expect(rolloutOf(record({ subject: 'user/olga' }))).toBeNull();
  });

  it('JSON carries the filter and the records', () => {
    const parsed = JSON.parse(auditJson([record()], { ...emptyAuditFilter, actor: 'olga' }, 'T'));
    expect(parsed).toMatchObject({ exportedAt: 'T', filter: { actor: 'olga' }, count: 1 });
    expect(parsed.items[0].id).toBe(1);
  });

  it('file names are safe', () => {
    expect(exportName('csv', '2025-03-01T10:00:00.000Z')).toBe('aviary-audit-2025-03-01T10-00-00.csv');
  });
});

describe('summarize: policies and approvals', () => {
  const record = (
    over: Partial<import('@aviary/contracts').AuditRecord>,
  ): import('@aviary/contracts').AuditRecord => ({
    id: 1,
    at: '2025-01-01T10:00:00.000Z',
    actor: 'otto',
    role: 'operator',
    sourceAddress: '127.0.0.1',
    action: 'approval-approved',
    subject: 'rollout/r1',
    before: { status: 'pending' },
    after: {
      approvalId: 'a1',
      rolloutId: 'r1',
      target: 'shop/checkout',
      action: { type: 'promote', override: true, reason: 'x' },
      requestedBy: 'olga',
      status: 'approved',
      decidedBy: 'otto',
    },
    reason: 'x',
    ...over,
  });

  it('names what was approved and who asked', () => {
    expect(summarize(record({}))).toBe('approved promote (gate overridden) asked by olga');
  });

  it('a request and a withdrawal', () => {
    const after = { action: { type: 'promote' }, requestedBy: 'olga', rolloutId: 'r1' };
    expect(summarize(record({ action: 'approval-requested', actor: 'olga', after }))).toBe(
      'asked for approval to promote',
    );
    expect(summarize(record({ action: 'approval-withdrawn', actor: 'ada', after }))).toBe(
      'withdrew the request to promote asked by olga',
    );
    expect(
      rolloutOf(
        record({
          action: 'approval-withdrawn',
          subject: 'approval/a1',
          after: { ...after, rolloutId: 'r9' },
        }),
      ),
    ).toBe('r9');
  });

  it('a policy change', () => {
    expect(
      summarize(
        record({
          action: 'policy-updated',
          subject: 'target/shop/checkout',
          after: { requireApproval: true, freezeWindows: [{}] },
        }),
      ),
    ).toBe('policy: two-person rule on, 1 freeze window');
  });
});
