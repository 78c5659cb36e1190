import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, call, createUser, login, rawDb } from './access-harness.ts';
import { readEnv } from '../src/env.ts';
import { startServer } from '../src/run.ts';
import { type Stack, startStack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => stack?.stop());

/** A signed-in user's headers for state changes. */
async function signedIn(username: string) {
  const user = await createUser(stack, username, 'operator');
  const session = await login(stack, { username, password: user.password });
  return { id: user.id, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } };
}

const storedKeys = () => {
  const db = rawDb(stack);
  try {
    return db.sqlite
      .prepare('SELECT owner, key, scope, request_hash AS hash, response FROM idempotency_keys')
      .all() as {
      owner: string;
      key: string;
      scope: string;
      hash: string;
      response: string | null;
    }[];
  } finally {
    db.close();
  }
};

describe('Idempotency-Key', () => {
  it('is ignored outside rollout and approval actions: a token is never replayed nor stored', async () => {
    const headers = { ...admin, 'idempotency-key': 'token-once' };
    const payload = { name: 'ci', role: 'viewer' };
    const first = await call(stack, 'POST', '/api/v1/tokens', { headers, payload });
    const second = await call(stack, 'POST', '/api/v1/tokens', { headers, payload });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.token).not.toBe(first.body.token);
    expect(storedKeys().filter((row) => row.key === 'token-once')).toEqual([]);
    expect(JSON.stringify(storedKeys())).not.toContain(first.body.token);
  });

  it("belongs to the principal's stable id: a new user with a deleted user's name gets no replay", async () => {
    const url = '/api/v1/approvals/no-such-approval/withdraw';
    const first = await signedIn('dana');
    const headers = { ...first.headers, 'idempotency-key': 'withdraw-1' };
    expect((await call(stack, 'POST', url, { headers })).status).toBe(404);
    const again = await call(stack, 'POST', url, { headers });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(storedKeys().find((row) => row.key === 'withdraw-1')?.owner).toBe(`user:${first.id}`);

    expect((await call(stack, 'DELETE', `/api/v1/users/${first.id}`, { headers: admin })).status).toBe(204);
    const second = await signedIn('dana');
    const fresh = await call(stack, 'POST', url, {
      headers: { ...second.headers, 'idempotency-key': 'withdraw-1' },
    });
    expect(fresh.status).toBe(404);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });

  it('stores the request only as an HMAC under a server secret', async () => {
    const url = '/api/v1/approvals/another-missing-one/approve';
    const payload = { reason: 'looks good' };
    await call(stack, 'POST', url, { headers: { ...admin, 'idempotency-key': 'approve-1' }, payload });
    const row = storedKeys().find((r) => r.key === 'approve-1');
    const body = JSON.stringify(payload);
    expect(row?.owner).toBe('bootstrap');
    expect(row?.hash).not.toBe(createHash('sha256').update(body).digest('hex'));
    const db = rawDb(stack);
    const secret = db.sqlite
      .prepare("SELECT value FROM settings WHERE key = 'idempotency-hmac-key'")
      .get() as {
      value: string;
    };
    db.close();
    expect(row?.hash).toBe(createHmac('sha256', JSON.parse(secret.value)).update(body).digest('hex'));
  });
});

describe('the periodic purge', () => {
  it('runs when the server starts: expired sessions and day-old keys are gone', async () => {
    await stack.server.stop();
    const db = rawDb(stack);
    const dayAndMinuteAgo = new Date(Date.now() - 24 * 3_600_000 - 60_000).toISOString();
    db.sqlite
      .prepare(
        `INSERT INTO sessions (id_hash, actor, role, csrf_token, created_at, last_seen_at, expires_at, bootstrap_fingerprint)
         VALUES ('expired', 'admin', 'admin', 'c', @at, @at, @at, 'fp')`,
      )
      .run({ at: dayAndMinuteAgo });
    db.sqlite
      .prepare(
        `INSERT INTO idempotency_keys (owner, key, scope, request_hash, created_at)
         VALUES ('bootstrap', 'stale', 'POST /api/v1/rollouts {}', 'h', @at)`,
      )
      .run({ at: dayAndMinuteAgo });
    db.close();
    const restarted = await startServer(readEnv(stack.env, {}));
    try {
      const check = rawDb(stack);
      const left = {
        sessions: check.sqlite.prepare("SELECT id_hash FROM sessions WHERE id_hash = 'expired'").all(),
        keys: check.sqlite.prepare("SELECT key FROM idempotency_keys WHERE key = 'stale'").all(),
      };
      check.close();
      expect(left).toEqual({ sessions: [], keys: [] });
    } finally {
      await restarted.stop();
    }
  });
});
