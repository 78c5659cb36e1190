import { hostname } from 'node:os';
import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { statusOf } from './retry.ts';

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** A lease not renewed for this long is free to take. */
  durationSeconds?: number;
  /** How often the holder renews (and others try to take over). */
  renewEverySeconds?: number;
  identity?: string;
  onChange?: (leading: boolean) => void;
}

/**
 * Leader election on a coordination.k8s.io Lease, as Kubernetes controllers do it: the holder
 * renews `renewTime`; anyone may take a lease whose renewal is older than its duration. Every
 * write carries the resourceVersion it read, so of two processes racing for it exactly one wins.
 */
export class LeaseElector {
  readonly identity: string;
  private readonly api: CoordinationV1Api;
  private leading = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly durationSeconds: number;
  private readonly renewMs: number;

  constructor(
    config: KubeConfig,
    private readonly opts: LeaseOptions,
  ) {
    this.api = config.makeApiClient(CoordinationV1Api);
    this.identity = opts.identity ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.durationSeconds = opts.durationSeconds ?? 15;
    this.renewMs = (opts.renewEverySeconds ?? 5) * 1000;
  }

  get isLeader(): boolean {
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
    this.set(false);
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
      this.set(await this.tryAcquire());
    } catch {
      // The API server is unreachable or refused: we cannot prove we still lead, so we do not.
      this.set(false);
    }
    clearTimeout(this.timer);
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.renewMs);
    return this.leading;
  }

  private async tryAcquire(): Promise<boolean> {
    const now = new Date();
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
    const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const expired =
      !spec.holderIdentity ||
      renewed + (spec.leaseDurationSeconds ?? this.durationSeconds) * 1000 < now.getTime();
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

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.opts.onChange?.(leading);
  }
}
