import { hostname } from 'node:os';
import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { statusOf } from './retry.ts';
import { makeApiClient } from './timeout.ts';

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** A lease not renewed for this long is free to take. */
  durationSeconds?: number;
  /** How often the holder renews (and others try to take over). */
  renewEverySeconds?: number;
  /**
   * A leader that has not renewed for this long stops acting, whatever it is waiting on; shorter
   * than the duration, so it stops before anyone else may take over. Default 10 s.
   */
  renewDeadlineSeconds?: number;
  identity?: string;
  onChange?: (leading: boolean) => void;
  /** Every loss of leadership is logged here, with why. */
  log?: { warn(obj: unknown, msg: string): void };
  /** Local monotonic milliseconds; tests pass their own. */
  now?: () => number;
}

/**
 * Leader election on a coordination.k8s.io Lease, as Kubernetes controllers do it: the holder
 * renews `renewTime`; anyone may take a lease they have not seen change for its duration. That
 * is measured on this process's own clock from when it observed the record (client-go does the
 * same), never from the holder's `renewTime`, so a holder whose clock is off can neither be
 * robbed nor keep a dead lease. Every write carries the resourceVersion it read, so of two
 * processes racing for it exactly one wins.
 */
export class LeaseElector {
  readonly identity: string;
  private readonly api: CoordinationV1Api;
  private leading = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly durationSeconds: number;
  private readonly renewMs: number;
  private readonly renewDeadlineMs: number;
  /** The holder's record as last read, and when (our clock) it was first seen that way. */
  private observed: { record: string; at: number } | undefined;
  /** When (our clock) this process last wrote the lease as its holder. */
  private renewedAt = Number.NEGATIVE_INFINITY;

  constructor(
    config: KubeConfig,
    private readonly opts: LeaseOptions,
  ) {
    this.identity = opts.identity ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.durationSeconds = opts.durationSeconds ?? 15;
    this.renewMs = (opts.renewEverySeconds ?? 5) * 1000;
    this.renewDeadlineMs = Math.min((opts.renewDeadlineSeconds ?? 10) * 1000, this.durationSeconds * 1000);
    // A renewal that cannot finish before the deadline is worth nothing: give up on it then.
    this.api = makeApiClient(config, CoordinationV1Api, Math.max(1_000, this.renewDeadlineMs));
  }

  private now(): number {
    return this.opts.now?.() ?? performance.now();
  }

  /** Leading, and renewed within the renew deadline (a hung renewal or a stalled process is not). */
  get isLeader(): boolean {
    if (this.leading && this.now() - this.renewedAt > this.renewDeadlineMs)
      this.set(false, `no renewal within the ${this.renewDeadlineMs / 1000} s renew deadline`);
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  /** Stop renewing and hand the lease back, so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.set(false, 'stopping');
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity === this.identity) {
        lease.spec.holderIdentity = undefined;
        lease.spec.renewTime = undefined;
        await this.api.replaceNamespacedLease({
          namespace: this.opts.namespace,
          name: this.opts.name,
          body: lease,
        });
      }
    } catch {
      // Best effort: the lease expires by itself.
    }
  }

  /** One attempt to take or renew the lease, then the next one is scheduled. */
  async tick(): Promise<boolean> {
    try {
      const acquired = await this.tryAcquire();
      if (acquired) this.renewedAt = this.now();
      this.set(acquired, 'another process holds the lease');
    } catch (err) {
      // The API server is unreachable or refused: we cannot prove we still lead, so we do not.
      this.set(false, `the lease could not be renewed: ${(err as Error).message}`);
    }
    clearTimeout(this.timer);
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.renewMs);
    return this.isLeader;
  }

  private async tryAcquire(): Promise<boolean> {
    const now = new Date();
    const started = this.now();
    const lease = await this.read();
    if (!lease) {
      try {
        await this.api.createNamespacedLease({
          namespace: this.opts.namespace,
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.opts.name, namespace: this.opts.namespace },
            spec: this.holding(now, now, 0),
          },
        });
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw err;
      }
    }
    const spec = lease.spec ?? {};
    const mine = spec.holderIdentity === this.identity;
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, lease.metadata?.resourceVersion]);
    if (this.observed?.record !== record) this.observed = { record, at: started };
    const expired =
      !spec.holderIdentity ||
      this.observed.at + (spec.leaseDurationSeconds ?? this.durationSeconds) * 1000 < started;
    if (!mine && !expired) return false;
    const acquired = mine && spec.acquireTime ? new Date(spec.acquireTime) : now;
    lease.spec = this.holding(acquired, now, (spec.leaseTransitions ?? 0) + (mine ? 0 : 1));
    try {
      await this.api.replaceNamespacedLease({
        namespace: this.opts.namespace,
        name: this.opts.name,
        body: lease,
      });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  private holding(acquired: Date, renewed: Date, transitions: number): NonNullable<V1Lease['spec']> {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.durationSeconds,
      acquireTime: acquired,
      renewTime: renewed,
      leaseTransitions: transitions,
    };
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ namespace: this.opts.namespace, name: this.opts.name });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private set(leading: boolean, why: string): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (!leading)
      this.opts.log?.warn(
        { lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.identity, why },
        'lost leadership',
      );
    this.opts.onChange?.(leading);
  }
}
