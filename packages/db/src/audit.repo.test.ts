import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepo, type NewAuditRecord } from './audit.repo.ts';
import { type AviaryDb, createTestDb } from './client.ts';

let handle: AviaryDb;
let repo: AuditRepo;

beforeEach(() => {
  handle = createTestDb();
  repo = new AuditRepo(handle);
});
afterEach(() => handle.close());

const record = (over: Partial<NewAuditRecord> = {}): NewAuditRecord => ({
  at: '2025-03-01T12:00:00.000Z',
  actor: 'alice',
  role: 'operator',
  sourceAddress: '10.0.0.7',
  action: 'rollout-action',
  subject: 'rollout/r-1',
  before: { phase: 'progressing', weight: 25 },
  after: { phase: 'rolled-back', weight: 0, request: { type: 'rollback', reason: 'errors' } },
  reason: 'errors',
  ...over,
});

describe('AuditRepo', () => {
  it('reads back what it appended, JSON included, with increasing ids', () => {
    const first = repo.append(record());
    const second = repo.append(record({ actor: 'bob' }));
    expect(first).toEqual({ id: first.id, ...record() });
    expect(second.id).toBeGreaterThan(first.id);
    expect(repo.list({}, 10).items).toEqual([second, first]);
  });

  it('stores a missing before/after as SQL NULL, not the text "null"', () => {
    const { id } = repo.append(record({ before: null, after: null, role: null, sourceAddress: null }));
    const raw = handle.sqlite.prepare('SELECT before, after, role FROM audit WHERE id = ?').get(id);
    expect(raw).toEqual({ before: null, after: null, role: null });
    expect(repo.list({}, 1).items[0]).toMatchObject({ before: null, after: null, role: null });
  });

  it('keeps strings that look like JSON as strings', () => {
    const { id } = repo.append(record({ before: 'null', after: '{"a":1}' }));
    expect(repo.list({}, 1).items[0]).toMatchObject({ id, before: 'null', after: '{"a":1}' });
  });

  it('filters by actor and action and pages by cursor', () => {
    for (const actor of ['alice', 'bob', 'alice']) repo.append(record({ actor }));
    repo.append(record({ action: 'login' }));
    expect(repo.list({ actor: 'alice', action: 'rollout-action' }, 10).items).toHaveLength(2);
    const page = repo.list({}, 3);
    expect(page.items).toHaveLength(3);
    expect(repo.list({}, 3, page.nextCursor!).items).toHaveLength(1);
  });
});
