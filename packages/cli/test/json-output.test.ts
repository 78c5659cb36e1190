import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, call, createUser, login } from '@aviary/api/test-access-harness';
import { type Json, type Stack, token as adminToken, startStack, waitFor } from '@aviary/api/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aviary } from './run-cli.ts';

// Every command with -o json, against the sandbox stack, its output parsed as JSON. Without
// Prometheus the gate is inconclusive, so stepping and promoting carry an override and a reason.
let stack: Stack;
let configHome: string;
let env: Record<string, string>;
const as: Record<'alice' | 'bob', Record<string, string>> = { alice: {}, bob: {} };

/** A user signs in with a password and makes an API token for the CLI (acting as them). */
async function operator(username: string): Promise<Record<string, string>> {
  const user = await createUser(stack, username, 'operator');
  const session = await login(stack, { username, password: user.password });
  const res = await call(stack, 'POST', '/api/v1/tokens', {
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    payload: { name: `${username}-cli`, role: 'operator' },
  });
  return { AVIARY_URL: stack.server.url, AVIARY_TOKEN: res.body.token };
}

beforeAll(async () => {
  stack = await startStack();
  configHome = await mkdtemp(join(tmpdir(), 'aviary-cli-config-'));
  env = { AVIARY_URL: stack.server.url, AVIARY_TOKEN: adminToken };
  as.alice = await operator('alice');
  as.bob = await operator('bob');
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  if (configHome) await rm(configHome, { recursive: true, force: true });
});

async function json(args: string[], who = env, code = 0): Promise<Json> {
  const run = await aviary([...args, '-o', 'json'], who);
  expect(run.code, `aviary ${args.join(' ')}: ${run.stderr}`).toBe(code);
  return run.json();
}

const ready = (id: string) =>
  waitFor(
    async () => {
      const r = (await stack.api('GET', `/api/v1/rollouts/${id}`)).body;
      return r.phase === 'progressing' && r.operation === null ? r : undefined;
    },
    30_000,
    `rollout ${id} at its first step`,
  );

describe('aviary -o json', () => {
  it('login stores the URL and token for this user only, and later commands use them', async () => {
    const stored = { XDG_CONFIG_HOME: configHome };
    const out = await json(['login', '--url', stack.server.url, '--token', adminToken], stored);
    expect(out).toMatchObject({
      url: stack.server.url,
      role: 'admin',
      config: join(configHome, 'aviary', 'config.json'),
    });
    expect((await stat(out.config)).mode & 0o777).toBe(0o600);
    const targets = await json(['targets'], stored);
    const inShop = (items: Json[]) => items.filter((t) => t.namespace === 'shop');
    expect(
      inShop(targets.items)
        .map((t: Json) => t.service)
        .sort(),
    ).toEqual(['catalog', 'checkout', 'payments']);
    // A token the API refuses is not stored.
    const refused = await aviary(['login', '--url', stack.server.url, '--token', 'avt_wrong'], stored);
    expect(refused.code).toBe(5);
    expect(inShop((await json(['targets'], stored)).items)).toHaveLength(3);
  }, 300_000);

  let id: string;

  it('start and status', async () => {
    const started = await json([
      'start',
      'shop/checkout',
      '--image',
      'registry.local/shop/checkout:1.1.0',
      '--steps',
      '10,50,100',
      '--reason',
      'release 1.1',
    ]);
    expect(started).toMatchObject({
      target: { namespace: 'shop', service: 'checkout' },
      steps: [10, 50, 100],
    });
    id = started.id as string;
    await ready(id);

    expect((await json(['status'])).items.map((r: Json) => r.id)).toContain(id);
    const status = await json(['status', 'shop/checkout']);
    expect(status.rollout).toMatchObject({ id, weight: 10 });
    expect(status.gate.verdict).toBe('inconclusive');
  }, 300_000);

  it('step, set-weight, pause and resume', async () => {
    // Without a passing gate a step is refused, and says so: exit 1 with the API's error.
    const refused = await json(['step', id], env, 1);
    expect(refused).toMatchObject({ error: { code: 'gate-not-passed' }, exitCode: 1 });
    expect(await json(['step', 'shop/checkout', '--override', '--reason', 'checked by hand'])).toMatchObject({
      id,
      weight: 50,
    });
    expect(await json(['set-weight', id, '20', '--reason', 'less'])).toMatchObject({ weight: 20 });
    expect(await json(['pause', id])).toMatchObject({ phase: 'paused' });
    expect(await json(['resume', id])).toMatchObject({ phase: 'progressing' });
  }, 300_000);

  it('wait and rollback', async () => {
    const timedOut = await json(['wait', id, '--until', 'gate-passed', '--timeout', '2s'], env, 3);
    expect(timedOut).toMatchObject({ error: { code: 'timed-out', rollout: { id } }, exitCode: 3 });

    expect(await json(['rollback', 'shop/checkout', '--reason', 'end of test'])).toMatchObject({
      id,
      phase: 'rolled-back',
      weight: 0,
    });
    const finished = await json(['wait', id, '--until', 'finished'], env, 2);
    expect(finished).toMatchObject({ error: { code: 'rolled-back' }, exitCode: 2 });
    expect(finished.error.message).toContain('by admin: end of test');
  }, 300_000);

  it('status --watch, history and report', async () => {
    // --watch with -o json: one document per line; a finished rollout ends the watch at once.
    const watched = await aviary(['status', id, '--watch', '-o', 'json'], env);
    expect(watched.code).toBe(0);
    expect(
      watched.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).rollout.phase),
    ).toEqual(['rolled-back']);

    const history = await json(['history', '--since', '1h', '--target', 'shop/checkout']);
    expect(history.items.map((r: Json) => r.id)).toEqual([id]);
    const report = await json(['report', id, '--format', 'json']);
    expect(report.rollout.id).toBe(id);
    expect(report.events.map((e: Json) => e.action)).toEqual(
      expect.arrayContaining(['created', 'step', 'set-weight', 'pause', 'resume', 'rollback']),
    );
    expect(report.metrics.rolloutId).toBe(id);

    const markdown = await aviary(['report', id], env);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('# Rollout report: shop/checkout');
    expect(markdown.stdout).toMatch(
      /\| admin \| step \| 10% → 50% \| .* \| checked by hand \| inconclusive \(OVERRIDDEN\) \|/,
    );
  }, 300_000);

  it('a promotion under the two-person rule exits 4 until a second operator approves it', async () => {
    const policy = await call(stack, 'PUT', '/api/v1/targets/shop/payments/policy', {
      headers: bearer(adminToken),
      payload: { requireApproval: true },
    });
    expect(policy.status).toBe(200);
    const started = await json(
      ['start', 'shop/payments', '--image', 'registry.local/shop/payments:2.0.0', '--steps', '25,100'],
      as.alice,
    );
    await ready(started.id);
    const held = await json(
      ['promote', 'shop/payments', '--override', '--reason', 'looks good'],
      as.alice,
      4,
    );
    expect(held).toMatchObject({
      error: { code: 'approval-required', approval: { requestedBy: 'alice' } },
      exitCode: 4,
    });
    // Asking again while it waits is blocked too.
    expect(await json(['promote', started.id, '--override', '--reason', 'again'], as.alice, 4)).toMatchObject(
      {
        error: { code: 'approval-pending' },
      },
    );
    // The requester cannot approve their own promotion: not allowed, exit 5.
    expect(await json(['approve', 'shop/payments'], as.alice, 5)).toMatchObject({
      error: { code: 'approval-self' },
    });
    const approved = await json(['approve', 'shop/payments'], as.bob);
    expect(approved).toMatchObject({ id: started.id, phase: 'promoted' });
  }, 300_000);
});
