import type { GateResult, MetricPoint, MetricProfile, StreamMessage } from '@aviary/contracts';
import {
  type GateKeeper,
  type HistoryStore,
  type MetricPointStore,
  type RolloutEngine,
  type StoredRollout,
  currentStepStart,
  describeChecks,
  evaluateGate,
  isDomainError,
} from '@aviary/core';
import type { RolloutSample } from '@aviary/prometheus';

export interface GuardDeps {
  history: HistoryStore;
  engine: RolloutEngine;
  points: MetricPointStore;
  profileOf: (rollout: StoredRollout) => Promise<MetricProfile>;
  sample: (
    rollout: StoredRollout,
    stepStartedAt: Date,
    profile: MetricProfile,
    now: Date,
  ) => Promise<RolloutSample>;
  publish: (message: StreamMessage) => void;
  /** Only the process holding the lease rolls back by itself. */
  isLeader: () => boolean;
  intervalMs: number;
  /**
   * Chart points are stored (and streamed) at most this often per rollout. The gate runs every
   * `intervalMs` so a fresh scrape is judged within a second of landing; charts need no such pace.
   */
  pointIntervalMs?: number;
  /** The chart window: rates are computed over this many seconds. */
  chartWindowSeconds: number;
  log: { warn(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void };
  now?: () => Date;
}

interface Evaluated {
  weight: number;
  stepStartedAt: string;
  gate: GateResult;
  latencyThresholdMs: number | null;
}

/**
 * The background guard: every interval (a second by default), for every active rollout (paused
 * ones too), one round of Prometheus queries feeds the gate, the live stream and, every
 * `pointIntervalMs`, the stored chart points; a confident `fail` rolls back at once when the
 * rollout's profile says so. Viewers never cause queries.
 */
export class Guard implements GateKeeper {
  private readonly latest = new Map<string, Evaluated>();
  /** When each rollout's last chart point was stored (epoch ms). */
  private readonly lastPoint = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: GuardDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** The gate at the rollout's current weight, if this step has been evaluated. */
  current(rollout: StoredRollout): GateResult | null {
    const e = this.latest.get(rollout.id);
    return e && e.weight === rollout.weight ? e.gate : null;
  }

  /** Lines to draw on the charts: the error share the gate tolerates, and what counts as slow. */
  thresholds(rolloutId: string): { errorRate: number | null; latencyMs: number | null } {
    const e = this.latest.get(rolloutId);
    const errors = e?.gate.checks.find((c) => c.kind === 'error-rate');
    const errorRate =
      errors && errors.stable !== null && errors.tolerance !== null ? errors.stable + errors.tolerance : null;
    return { errorRate, latencyMs: e?.latencyThresholdMs ?? null };
  }

  /** One round over all active rollouts; a round still running is not started twice. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const active = this.deps.history
      .listActive()
      .filter((r) => r.phase === 'progressing' || r.phase === 'paused');
    for (const id of this.latest.keys()) if (!active.some((r) => r.id === id)) this.latest.delete(id);
    for (const id of this.lastPoint.keys()) if (!active.some((r) => r.id === id)) this.lastPoint.delete(id);
    await Promise.all(
      active.map((r) =>
        this.evaluate(r).catch((err) =>
          this.deps.log.error({ err, rolloutId: r.id }, 'guard could not evaluate a rollout'),
        ),
      ),
    );
  }

  private async evaluate(rollout: StoredRollout): Promise<void> {
    const now = this.deps.now?.() ?? new Date();
    const events = this.deps.history.events(rollout.id, 10_000);
    const stepStartedAt = currentStepStart(events, rollout.createdAt);
    const profile = await this.deps.profileOf(rollout);
    const sample = await this.deps.sample(rollout, new Date(stepStartedAt), profile, now);

    const points = toPoints(sample);
    if (points.length > 0 && this.pointDue(rollout.id, now.getTime())) {
      this.lastPoint.set(rollout.id, now.getTime());
      this.deps.points.append(rollout.id, points);
      this.deps.publish({ type: 'metrics', rolloutId: rollout.id, points });
    }

    const decided = evaluateGate({
      profile,
      now,
      stepStartedAt: new Date(stepStartedAt),
      canaryRequestRate: sample.canaryRequestRate,
      errors: sample.errors,
      latency: sample.latency,
      business: sample.business,
      // Only a sample with no traffic data at all is "unavailable": a broken business query
      // leaves that check without data, but must not blind the error-rate check.
      ...(sample.unavailable && !sample.errors.canary && !sample.errors.stable
        ? { unavailable: sample.unavailable }
        : {}),
    });
    const gate = describeChecks(decided, { profile, latencyThresholdMs: sample.latency.thresholdMs });
    // A rollout that moved while we were sampling gets a fresh look next round.
    const fresh = this.deps.history.get(rollout.id);
    if (!fresh || fresh.weight !== rollout.weight) return;
    this.latest.set(rollout.id, {
      weight: rollout.weight,
      stepStartedAt,
      gate,
      latencyThresholdMs: sample.latency.thresholdMs,
    });
    this.deps.publish({ type: 'gate', rolloutId: rollout.id, gate });

    if (gate.verdict === 'fail' && profile.autoRollback && this.deps.isLeader() && !fresh.operation) {
      const failing = gate.checks.filter((c) => c.verdict === 'fail').map((c) => c.explanation);
      const reason = `automatic rollback: ${failing.join('; ')}`;
      try {
        const request = { type: 'rollback' as const, reason };
        // Audited as Aviary itself, in the same transaction as the rollback's event.
        await this.deps.engine.act(rollout.id, request, 'aviary', {
          audit: { actor: 'aviary', role: null, sourceAddress: null, context: { request } },
        });
      } catch (err) {
        // Someone else acted first (a person, or a rollback already under way): nothing to do.
        if (!isDomainError(err)) throw err;
        this.deps.log.warn({ err: err.message, rolloutId: rollout.id }, 'automatic rollback not taken');
      }
    }
  }

  /** Half a gate interval of slack, so timer jitter does not skip every other point. */
  private pointDue(rolloutId: string, nowMs: number): boolean {
    const last = this.lastPoint.get(rolloutId);
    const every = Math.max(this.deps.pointIntervalMs ?? 0, this.deps.intervalMs);
    return last === undefined || nowMs - last >= every - this.deps.intervalMs / 2;
  }
}

function toPoints(sample: RolloutSample): MetricPoint[] {
  if (sample.unavailable) return [];
  return (['canary', 'stable'] as const).map((arm) => ({ at: sample.at, arm, ...sample.chart[arm] }));
}
