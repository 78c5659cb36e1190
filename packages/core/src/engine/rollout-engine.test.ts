import { beforeEach, describe, expect, it } from 'vitest';
import { FakeCluster, MemoryHistory, deferred } from '../../test/fakes.ts';
import { RolloutEngine } from './rollout-engine.ts';

let history: MemoryHistory;
let cluster: FakeCluster;
let engine: RolloutEngine;

beforeEach(() => {
  history = new MemoryHistory();
  cluster = new FakeCluster();
  engine = new RolloutEngine({ history, router: cluster, workloads: cluster });
});

async function started() {
  const r = await engine.start(
    {
      namespace: 'shop',
      service: 'checkout',
      image: 'registry.local/shop/checkout:1.1.0',
      router: 'gateway-api',
    },
    'alice',
  );
  await engine.idle();
  cluster.calls = [];
  return engine.get(r.id);
}

const actions = (id: string) => history.events(id).map((e) => e.action);

describe('RolloutEngine', () => {
  it('starts: canary from the stable template, available, then the first step', async () => {
    const r = await engine.start(
      {
        namespace: 'shop',
        service: 'checkout',
        image: 'registry.local/shop/checkout:1.1.0',
        router: 'gateway-api',
      },
      'alice',
    );
    expect(r.phase).toBe('starting');
    await engine.idle();
    expect(cluster.calls).toEqual([
      'ensureCanary registry.local/shop/checkout:1.1.0 1',
      'waitCanaryAvailable',
      'setWeights 99/1',
    ]);
    expect(engine.get(r.id)).toMatchObject({
      phase: 'progressing',
      weight: 1,
      stepIndex: 0,
      operation: null,
      stableImage: 'registry.local/shop/checkout:1.0.0',
    });
    expect(actions(r.id)).toEqual(['created', 'canary-ready', 'step']);
  });

  it('refuses a second active rollout for the same target', async () => {
    await started();
    await expect(
      engine.start({ namespace: 'shop', service: 'checkout', image: 'x:2', router: 'gateway-api' }, 'bob'),
    ).rejects.toMatchObject({ code: 'active-rollout-exists' });
  });

  it('refuses a plan that starts at 100%: nothing is created, nothing touches the cluster', async () => {
    await expect(
      engine.start(
        { namespace: 'shop', service: 'checkout', image: 'x:2', router: 'istio', steps: [100] },
        'mallory',
      ),
    ).rejects.toMatchObject({ code: 'invalid-request', details: { field: 'steps.0' } });
    expect(history.rollouts.size).toBe(0);
    expect(cluster.calls).toEqual([]);
  });

  it('refuses to start over a canary Deployment Aviary did not create: nothing stored, nothing touched', async () => {
    cluster.foreignCanary = true;
    await expect(
      engine.start({ namespace: 'shop', service: 'checkout', image: 'x:2', router: 'istio' }, 'alice'),
    ).rejects.toMatchObject({ code: 'not-managed' });
    expect(history.rollouts.size).toBe(0);
    expect(cluster.calls).toEqual([]);
  });

  it('adds capacity before traffic going up and removes it after traffic going down', async () => {
    const r = await started();
    await engine.act(r.id, { type: 'set-weight', weight: 50 }, 'alice');
    expect(cluster.calls).toEqual(['scaleCanary 2', 'waitCanaryAvailable', 'setWeights 50/50']);
    cluster.calls = [];
    await engine.act(r.id, { type: 'set-weight', weight: 5 }, 'alice');
    expect(cluster.calls).toEqual(['setWeights 95/5', 'scaleCanary 1']);
    expect(engine.get(r.id)).toMatchObject({ weight: 5, stepIndex: 1 });
  });

  it('promotes without a moment of missing capacity and ends with the canary at zero', async () => {
    const r = await started();
    const answered = await engine.act(r.id, { type: 'promote' }, 'alice');
    // Answered once all traffic is back on stable; scaling the canary down follows.
    expect(answered).toMatchObject({
      phase: 'promoted',
      weight: 0,
      operation: { type: 'promote', recorded: true },
    });
    await engine.idle();
    const done = engine.get(r.id);
    expect(cluster.calls).toEqual([
      'scaleCanary 4',
      'waitCanaryAvailable',
      'setWeights 0/100',
      'setStableImage registry.local/shop/checkout:1.1.0',
      'waitStableAvailable',
      'setWeights 100/0',
      'scaleCanary 0',
    ]);
    expect(done).toMatchObject({ phase: 'promoted', weight: 0, operation: null });
    expect(history.events(r.id).at(-1)).toMatchObject({
      action: 'promote',
      actor: 'alice',
      fromWeight: 1,
      toWeight: 0,
      toPhase: 'promoted',
    });
  });

  it('rolls back with traffic first and records the reason', async () => {
    const r = await started();
    const cleanup = deferred();
    const scale = cluster.scaleCanary.bind(cluster);
    cluster.scaleCanary = async (t, replicas) => {
      await cleanup.promise;
      await scale(t, replicas);
    };
    const answered = await engine.act(r.id, { type: 'rollback', reason: '5xx spike' }, 'oncall');
    expect(answered).toMatchObject({ phase: 'rolled-back', weight: 0 });
    // The answer does not wait for the canary to scale down.
    expect(cluster.calls).toEqual(['setWeights 100/0']);

    cleanup.resolve();
    await engine.idle();
    expect(cluster.calls).toEqual(['setWeights 100/0', 'scaleCanary 0']);
    expect(engine.get(r.id)).toMatchObject({ phase: 'rolled-back', operation: null });
    expect(history.events(r.id).at(-1)).toMatchObject({
      action: 'rollback',
      reason: '5xx spike',
      actor: 'oncall',
    });
  });

  it('records a failed cleanup after a rollback took effect without undoing it', async () => {
    const r = await started();
    cluster.failNext.scaleCanary = new Error('API server unavailable');
    await engine.act(r.id, { type: 'rollback', reason: 'bad' }, 'oncall');
    await engine.idle();
    expect(engine.get(r.id)).toMatchObject({ phase: 'rolled-back', weight: 0, operation: null });
    expect(history.events(r.id).slice(-2)).toMatchObject([
      { action: 'rollback', toPhase: 'rolled-back' },
      { action: 'operation-failed', details: { attempted: 'rollback', stage: 'cleanup' } },
    ]);
  });

  it('finishes a rollback cleanup interrupted by a restart without recording it twice', async () => {
    const r = await started();
    const stall = deferred();
    let scaled = false;
    cluster.scaleCanary = async (_t, replicas) => {
      await stall.promise;
      scaled = replicas === 0;
    };
    await engine.act(r.id, { type: 'rollback', reason: 'bad' }, 'oncall');
    // The process dies during cleanup; another takes over.
    const restarted = new RolloutEngine({ history, router: cluster, workloads: cluster });
    stall.resolve();
    await restarted.recover();
    await restarted.idle();
    expect(scaled).toBe(true);
    expect(restarted.get(r.id)).toMatchObject({ phase: 'rolled-back', operation: null });
    expect(actions(r.id).filter((a) => a === 'rollback')).toHaveLength(1);
  });

  it('lets a rollback overtake a step that is waiting for canary capacity', async () => {
    const r = await started();
    const stall = deferred();
    cluster.stallCanary = stall.promise;
    const step = engine.act(r.id, { type: 'set-weight', weight: 75 }, 'alice');
    await new Promise((res) => setTimeout(res, 10));
    const rolledBack = await engine.act(r.id, { type: 'rollback', reason: 'bad' }, 'oncall');
    stall.resolve();
    await expect(step).rejects.toMatchObject({ code: 'rollout-busy' });
    expect(rolledBack.phase).toBe('rolled-back');
    // The step's weight change never reached the cluster: it ran after the rollback took over.
    expect(cluster.calls).not.toContain('setWeights 25/75');
    expect(cluster.weights).toEqual({ stable: 100, canary: 0 });
    expect(actions(r.id)).toEqual(['created', 'canary-ready', 'step', 'rollback']);
  });

  it('records a failed operation with where traffic really is, and no phantom step', async () => {
    const r = await started();
    cluster.failNext.setWeights = new Error('API server unavailable');
    await expect(engine.act(r.id, { type: 'step' }, 'alice')).rejects.toMatchObject({
      code: 'cluster-unavailable',
    });
    const after = engine.get(r.id);
    expect(after).toMatchObject({ weight: 1, phase: 'progressing', operation: null });
    const last = history.events(r.id).at(-1)!;
    expect(last.action).toBe('operation-failed');
    expect(last.details).toMatchObject({
      attempted: 'step',
      toWeight: 5,
      traffic: { stable: 99, canary: 1 },
    });
    expect(actions(r.id)).not.toContain('set-weight');
  });

  it('acts on the rollout as the caller read it, and on a fresh read if that copy went stale', async () => {
    const r = await started();
    await engine.act(r.id, { type: 'set-weight', weight: 0 }, 'alice');
    await expect(
      engine.act(r.id, { type: 'pause', expectedVersion: r.version }, 'bob', { current: r }),
    ).rejects.toMatchObject({ code: 'version-conflict' });
    // `r` is one version behind: its write is refused, and the action is planned again on a fresh read.
    const rolledBack = await engine.act(r.id, { type: 'rollback', reason: 'x' }, 'bob', { current: r });
    expect(rolledBack).toMatchObject({ phase: 'rolled-back', weight: 0 });
    expect(actions(r.id).slice(-2)).toEqual(['set-weight', 'rollback']);
  });

  it('refuses a stale expectedVersion and changes nothing', async () => {
    const r = await started();
    await expect(
      engine.act(r.id, { type: 'pause', expectedVersion: r.version - 1 }, 'alice'),
    ).rejects.toMatchObject({ code: 'version-conflict' });
    expect(engine.get(r.id).version).toBe(r.version);
    expect(actions(r.id)).toHaveLength(3);
  });

  it('records drift when the weight changes outside Aviary, and not while it is acting', async () => {
    const r = await started();
    engine.observe(r.target, { stable: 70, canary: 30 });
    expect(engine.get(r.id)).toMatchObject({ weight: 30, stepIndex: 2 });
    expect(history.events(r.id).at(-1)).toMatchObject({
      action: 'drift-detected',
      actor: 'cluster',
      fromWeight: 1,
      toWeight: 30,
    });
    engine.observe(r.target, { stable: 70, canary: 30 });
    expect(actions(r.id).filter((a) => a === 'drift-detected')).toHaveLength(1);
  });

  it('finishes an interrupted promotion after a restart', async () => {
    const r = await started();
    const stall = deferred();
    cluster.stallCanary = stall.promise;
    const slow = new RolloutEngine({ history, router: cluster, workloads: cluster, actionWaitMs: 5 });
    const answered = await slow.act(r.id, { type: 'promote' }, 'alice');
    expect(answered).toMatchObject({ phase: 'promoting', operation: { type: 'promote' } });
    // The process "dies" here: a new engine on the same history and cluster takes over.
    const restarted = new RolloutEngine({ history, router: cluster, workloads: cluster });
    cluster.stallCanary = undefined;
    await restarted.recover();
    await restarted.idle();
    expect(restarted.get(r.id)).toMatchObject({ phase: 'promoted', operation: null });
    expect(cluster.stableImage).toBe('registry.local/shop/checkout:1.1.0');
    expect(cluster.canaryReplicas).toBe(0);
    stall.resolve();
  });
});

describe('RolloutEngine audit', () => {
  const by = { actor: 'oncall', role: 'operator' as const, sourceAddress: '10.0.0.7' };

  it("writes an action's audit record in the same write as its event, with the state before and after", async () => {
    const r = await started();
    const writes = history.log.length;
    const request = { type: 'rollback' as const, reason: '5xx spike' };
    await engine.act(r.id, request, 'oncall', { audit: { ...by, context: { request } } });
    // While cleanup runs, the stored operation keeps what cleanup needs; the rest is recorded.
    const during = engine.get(r.id).operation;
    expect(during).toMatchObject({ type: 'rollback', recorded: true });
    expect(during).not.toHaveProperty('audit');
    expect(history.audit).toEqual([
      {
        at: expect.any(String),
        ...by,
        action: 'rollout-action',
        subject: `rollout/${r.id}`,
        before: {
          phase: 'progressing',
          weight: 1,
          stepIndex: 0,
          version: r.version,
          canaryImage: r.canaryImage,
          operation: null,
        },
        after: expect.objectContaining({ phase: 'rolled-back', weight: 0, operation: 'rollback', request }),
        reason: '5xx spike',
      },
    ]);
    // The rollback event went in with it: the record's time is the event's time.
    expect(history.log.slice(writes).map((e) => e.action)).toEqual(['rollback']);
    expect(history.audit[0]!.at).toBe(history.log.at(-1)!.at);
    await engine.idle();
    expect(history.audit).toHaveLength(1);
  });

  it('audits an action without cluster work (pause) with its event', async () => {
    const r = await started();
    await engine.act(r.id, { type: 'pause' }, 'alice', {
      audit: { ...by, context: { request: { type: 'pause' } } },
    });
    expect(history.audit).toMatchObject([{ before: { phase: 'progressing' }, after: { phase: 'paused' } }]);
  });

  it('writes the audit record of an operation finished after a restart', async () => {
    const r = await started();
    const stall = deferred();
    cluster.stallCanary = stall.promise;
    const slow = new RolloutEngine({ history, router: cluster, workloads: cluster, actionWaitMs: 5 });
    await slow.act(r.id, { type: 'promote' }, 'alice', { audit: { ...by, actor: 'alice', context: {} } });
    expect(history.audit).toEqual([]);
    const restarted = new RolloutEngine({ history, router: cluster, workloads: cluster });
    cluster.stallCanary = undefined;
    await restarted.recover();
    await restarted.idle();
    expect(history.audit).toMatchObject([{ actor: 'alice', after: { phase: 'promoted' } }]);
    stall.resolve();
  });

  it('audits a failed operation in the same write as its event, as whoever asked, with where traffic is', async () => {
    const r = await started();
    cluster.failNext.setWeights = new Error('API server unavailable');
    await expect(
      engine.act(r.id, { type: 'set-weight', weight: 0 }, 'alice', { audit: { ...by, context: {} } }),
    ).rejects.toMatchObject({ code: 'cluster-unavailable' });
    expect(history.audit).toEqual([
      {
        at: history.log.at(-1)!.at,
        ...by,
        action: 'operation-failed',
        subject: `rollout/${r.id}`,
        before: expect.objectContaining({ phase: 'progressing', weight: 1, operation: 'set-weight' }),
        after: expect.objectContaining({
          phase: 'progressing',
          weight: 1,
          operation: null,
          attempted: 'set-weight',
          stage: 'action',
          error: 'API server unavailable',
          traffic: { stable: 99, canary: 1 },
        }),
        reason: null,
      },
    ]);
    expect(history.log.at(-1)!.action).toBe('operation-failed');
  });

  it('audits a failure after the action took effect (cleanup), and one of the guard with no request', async () => {
    const r = await started();
    cluster.failNext.scaleCanary = new Error('API server unavailable');
    await engine.act(r.id, { type: 'rollback', reason: 'bad' }, 'aviary');
    await engine.idle();
    expect(history.audit).toMatchObject([
      {
        actor: 'aviary',
        role: null,
        sourceAddress: null,
        action: 'operation-failed',
        after: { phase: 'rolled-back', stage: 'cleanup', attempted: 'rollback' },
        reason: 'bad',
      },
    ]);
  });

  it('audits drift: a weight changed outside Aviary, as the cluster', async () => {
    const r = await started();
    engine.observe(r.target, { stable: 60, canary: 40 });
    expect(history.audit).toMatchObject([
      {
        actor: 'cluster',
        action: 'drift-detected',
        subject: `rollout/${r.id}`,
        before: { weight: 1 },
        after: { weight: 40, traffic: { stable: 60, canary: 40 } },
      },
    ]);
    expect(history.audit[0]!.at).toBe(history.log.at(-1)!.at);
  });

  it('audits a start with the rollout and its first event', async () => {
    const r = await engine.start(
      {
        namespace: 'shop',
        service: 'checkout',
        image: 'registry.local/shop/checkout:1.1.0',
        router: 'istio',
      },
      'alice',
      { audit: { ...by, actor: 'alice', context: {} } },
    );
    expect(history.audit).toMatchObject([
      {
        actor: 'alice',
        action: 'rollout-started',
        subject: `rollout/${r.id}`,
        before: null,
        after: { phase: 'starting', canaryImage: 'registry.local/shop/checkout:1.1.0', target: r.target },
      },
    ]);
    expect(history.audit[0]!.at).toBe(history.events(r.id)[0]!.at);
    await engine.idle();
  });
});

describe('RolloutEngine with a gate', () => {
  const gate = (verdict: 'pass' | 'fail' | 'inconclusive') => ({
    verdict,
    evaluatedAt: '2026-01-01T00:00:00Z',
    stepStartedAt: '2026-01-01T00:00:00Z',
    bakeSecondsRemaining: 0,
    canaryRequestRate: 5,
    checks: [],
    summary: `gate says ${verdict}`,
  });
  let verdict: 'pass' | 'fail' | 'inconclusive';

  beforeEach(() => {
    verdict = 'inconclusive';
    engine = new RolloutEngine({
      history,
      router: cluster,
      workloads: cluster,
      gates: { current: () => gate(verdict) },
    });
  });

  it('refuses to step up or promote on a gate that has not passed, and says why', async () => {
    const r = await started();
    await expect(engine.act(r.id, { type: 'step' }, 'alice')).rejects.toMatchObject({
      code: 'gate-not-passed',
      message: expect.stringContaining('gate says inconclusive'),
    });
    await expect(engine.act(r.id, { type: 'set-weight', weight: 50 }, 'alice')).rejects.toMatchObject({
      code: 'gate-not-passed',
    });
    await expect(engine.act(r.id, { type: 'promote' }, 'alice')).rejects.toMatchObject({
      code: 'gate-not-passed',
    });
    expect(cluster.calls).toEqual([]);
  });

  it('allows stepping down, pausing and rolling back whatever the gate says', async () => {
    const r = await started();
    verdict = 'fail';
    await engine.act(r.id, { type: 'set-weight', weight: 0 }, 'alice');
    await engine.act(r.id, { type: 'pause' }, 'alice');
    expect((await engine.act(r.id, { type: 'rollback', reason: 'bad' }, 'alice')).phase).toBe('rolled-back');
  });

  it('records an override with the gate it overrode, and every action with its gate', async () => {
    const r = await started();
    await engine.act(r.id, { type: 'step', override: true, reason: 'low traffic at night' }, 'alice');
    const step = history.events(r.id).at(-1)!;
    expect(step).toMatchObject({
      action: 'step',
      reason: 'low traffic at night',
      details: { override: true, gate: { verdict: 'inconclusive' } },
    });
    verdict = 'pass';
    await engine.act(r.id, { type: 'step' }, 'alice');
    expect(history.events(r.id).at(-1)!.details).toEqual({
      gate: expect.objectContaining({ verdict: 'pass', summary: 'gate says pass' }),
    });
  });

  it('checks an action as act would without changing anything', async () => {
    const r = await started();
    expect(() => engine.check(r.id, { type: 'promote' })).toThrow(
      expect.objectContaining({ code: 'gate-not-passed' }),
    );
    expect(() =>
      engine.check(r.id, { type: 'promote', override: true, reason: 'quiet night' }),
    ).not.toThrow();
    expect(engine.get(r.id).version).toBe(r.version);
    expect(cluster.calls).toEqual([]);
  });

  it('records extra details (who requested and who approved) with the gate', async () => {
    const r = await started();
    verdict = 'pass';
    await engine.act(r.id, { type: 'step' }, 'bob', { details: { approvedBy: 'bob', requestedBy: 'alice' } });
    expect(history.events(r.id).at(-1)).toMatchObject({
      actor: 'bob',
      details: { approvedBy: 'bob', requestedBy: 'alice', gate: { verdict: 'pass' } },
    });
  });
});
