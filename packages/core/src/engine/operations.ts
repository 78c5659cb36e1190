import { canaryReplicasFor } from '../capacity.ts';
import type { PendingOperation, StoredRollout, TrafficRouter, Workloads } from '../ports.ts';

/** Runs one cluster write if the operation still owns the rollout (a rollback may have taken over). */
export type Guard = (write: () => Promise<void>) => Promise<void>;

export interface OperationContext {
  rollout: StoredRollout;
  op: PendingOperation;
  router: TrafficRouter;
  workloads: Workloads;
  guard: Guard;
  /**
   * The action has taken effect (traffic is where it should be): record it and answer the
   * request now; what follows is cleanup. Skipped when a previous run already recorded it.
   */
  taken: () => Promise<void>;
}

const split = (canary: number) => ({ stable: 100 - canary, canary });

/**
 * The cluster procedures behind each operation. Every step is declarative ("make it so"), so a
 * procedure interrupted by a crash is finished by running it again from the top.
 */
export const procedures: Record<PendingOperation['type'], (ctx: OperationContext) => Promise<void>> = {
  /** Canary from the stable template, available, then the first step's weight. */
  async start({ rollout, op, router, workloads, guard }) {
    const target = rollout.target;
    const stable = await workloads.stable(target);
    await guard(() =>
      workloads.ensureCanary(target, rollout.canaryImage, canaryReplicasFor(stable.replicas, op.toWeight)),
    );
    await workloads.waitCanaryAvailable(target);
    await guard(() => router.setWeights(target, split(op.toWeight)));
  },

  /** Capacity before traffic going up; traffic before capacity going down. */
  async 'set-weight'({ rollout, op, router, workloads, guard }) {
    const target = rollout.target;
    const stable = await workloads.stable(target);
    const replicas = canaryReplicasFor(stable.replicas, op.toWeight);
    if (op.toWeight > op.fromWeight) {
      await guard(() => workloads.scaleCanary(target, replicas));
      await workloads.waitCanaryAvailable(target);
      await guard(() => router.setWeights(target, split(op.toWeight)));
    } else {
      await guard(() => router.setWeights(target, split(op.toWeight)));
      await guard(() => workloads.scaleCanary(target, replicas));
    }
  },

  /**
   * No moment of mixed or missing capacity: the canary takes all traffic at full size while
   * stable rolls to the new image, then traffic returns to stable and the canary goes away.
   */
  async promote({ rollout, router, workloads, guard, taken }) {
    const target = rollout.target;
    const stable = await workloads.stable(target);
    await guard(() => workloads.scaleCanary(target, stable.replicas));
    await workloads.waitCanaryAvailable(target);
    await guard(() => router.setWeights(target, split(100)));
    await guard(() => workloads.setStableImage(target, rollout.canaryImage));
    await workloads.waitStableAvailable(target);
    await guard(() => router.setWeights(target, split(0)));
    await taken();
    await guard(() => workloads.scaleCanary(target, 0));
  },

  /**
   * All traffic to stable at once — one write, then the answer — and cleanup after: the canary
   * to zero and, if a promotion had already moved stable to the new image, stable back to the
   * image it had when the rollout began. Until then stable runs what the canary ran, so the
   * switch never makes things worse.
   */
  async rollback({ rollout, router, workloads, guard, taken }) {
    const target = rollout.target;
    await guard(() => router.setWeights(target, split(0)));
    await taken();
    const stable = await workloads.stable(target);
    if (stable.image !== rollout.stableImage) {
      await guard(() => workloads.setStableImage(target, rollout.stableImage));
      await workloads.waitStableAvailable(target);
    }
    await guard(() => workloads.scaleCanary(target, 0));
  },
};
