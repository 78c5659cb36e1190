import { DomainError, type StableWorkload, type TargetRef, type Workloads } from '@aviary/core';
import { type AppsV1Api, PatchStrategy, type V1Deployment, setHeaderOptions } from '@kubernetes/client-node';
import { statusOf, withRetry } from './retry.ts';

export const canaryName = (service: string) => `${service}-canary`;
export const managedByLabel = 'app.kubernetes.io/managed-by';

export interface WorkloadOptions {
  /** How long to wait for a Deployment to become available. */
  availableTimeoutMs?: number;
  pollMs?: number;
}

/**
 * The two Deployments behind a target: `<service>` (stable) and `<service>-canary`, which
 * Aviary creates from the stable pod template with the candidate image and `version: canary`.
 */
export class DeploymentWorkloads implements Workloads {
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly apps: AppsV1Api,
    opts: WorkloadOptions = {},
  ) {
    this.timeoutMs = opts.availableTimeoutMs ?? 180_000;
    this.pollMs = opts.pollMs ?? 200;
  }

  async stable(target: TargetRef): Promise<StableWorkload> {
    const d = await withRetry(`reading Deployment ${target.service}`, () =>
      this.read(target.namespace, target.service),
    );
    if (!d)
      throw new DomainError(
        'target-not-found',
        `no Deployment ${target.service} in namespace ${target.namespace}`,
      );
    return { replicas: d.spec?.replicas ?? 1, image: firstImage(d) };
  }

  /** Whether the service's stable Deployment exists (a start on an unknown one is a 404). */
  async exists(namespace: string, service: string): Promise<boolean> {
    return (
      (await withRetry(`reading Deployment ${service}`, () => this.read(namespace, service))) !== undefined
    );
  }

  async assertCanaryManaged(target: TargetRef): Promise<void> {
    const name = canaryName(target.service);
    const existing = await withRetry(`reading Deployment ${name}`, () => this.read(target.namespace, name));
    if (existing && !managedByAviary(existing)) throw notManaged(target.namespace, name);
  }

  async ensureCanary(target: TargetRef, image: string, replicas: number): Promise<void> {
    const name = canaryName(target.service);
    await withRetry(`creating Deployment ${name}`, async () => {
      const stable = await this.read(target.namespace, target.service);
      if (!stable)
        throw new DomainError(
          'target-not-found',
          `no Deployment ${target.service} in namespace ${target.namespace}`,
        );
      const existing = await this.read(target.namespace, name);
      if (existing && !managedByAviary(existing)) throw notManaged(target.namespace, name);
      const body = canaryFrom(stable, name, image, replicas, existing);
      if (existing) {
        await this.apps.replaceNamespacedDeployment({ namespace: target.namespace, name, body });
      } else {
        await this.apps.createNamespacedDeployment({ namespace: target.namespace, body });
      }
    });
  }

  /**
   * One JSON patch that tests Aviary's label and sets the replicas, so a Deployment someone else
   * put at `<service>-canary` is never scaled, at no extra request.
   */
  async scaleCanary(target: TargetRef, replicas: number): Promise<void> {
    const name = canaryName(target.service);
    await withRetry(`scaling Deployment ${name} to ${replicas}`, async () => {
      try {
        await this.apps.patchNamespacedDeployment(
          {
            namespace: target.namespace,
            name,
            body: [
              { op: 'test', path: managedByPath, value: 'aviary' },
              { op: 'replace', path: '/spec/replicas', value: replicas },
            ],
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        );
      } catch (err) {
        // Scaling a canary that was never created to zero is already done.
        if (statusOf(err) === 404 && replicas === 0) return;
        if (statusOf(err) === 422) {
          const existing = await this.read(target.namespace, name);
          if (existing && !managedByAviary(existing)) {
            // Not ours: there is nothing of Aviary's to scale down, and nothing it may scale up.
            if (replicas === 0) return;
            throw notManaged(target.namespace, name);
          }
        }
        throw err;
      }
    });
  }

  async setStableImage(target: TargetRef, image: string): Promise<void> {
    await withRetry(`updating Deployment ${target.service} to ${image}`, async () => {
      const d = await this.read(target.namespace, target.service);
      if (!d)
        throw new DomainError(
          'target-not-found',
          `no Deployment ${target.service} in namespace ${target.namespace}`,
        );
      if (firstImage(d) === image) return;
      d.spec!.template.spec!.containers[0]!.image = image;
      await this.apps.replaceNamespacedDeployment({
        namespace: target.namespace,
        name: target.service,
        body: d,
      });
    });
  }

  waitCanaryAvailable(target: TargetRef): Promise<void> {
    return this.waitAvailable(target.namespace, canaryName(target.service));
  }

  waitStableAvailable(target: TargetRef): Promise<void> {
    return this.waitAvailable(target.namespace, target.service);
  }

  /** Until the rollout of the Deployment is complete, as `kubectl rollout status` judges it. */
  private async waitAvailable(namespace: string, name: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    let last: V1Deployment | undefined;
    for (;;) {
      last = await withRetry(`reading Deployment ${name}`, () => this.read(namespace, name));
      if (!last)
        throw new DomainError(
          'canary-not-ready',
          `Deployment ${name} in ${namespace} disappeared while waiting for it`,
        );
      if (rolledOut(last)) return;
      const stuck = last.status?.conditions?.find(
        (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
      );
      if (stuck)
        throw new DomainError(
          'canary-not-ready',
          `Deployment ${name} exceeded its progress deadline: ${stuck.message ?? ''}`,
        );
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
    const s = last.status ?? {};
    throw new DomainError(
      'canary-not-ready',
      `Deployment ${name} in ${namespace} was not available after ${Math.round(this.timeoutMs / 1000)} s (${s.availableReplicas ?? 0}/${last.spec?.replicas ?? 0} available); check its pods`,
    );
  }

  private async read(namespace: string, name: string): Promise<V1Deployment | undefined> {
    try {
      return await this.apps.readNamespacedDeployment({ namespace, name });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/** The label path as a JSON pointer (`/` in the key escaped as `~1`). */
const managedByPath = `/metadata/labels/${managedByLabel.replaceAll('~', '~0').replaceAll('/', '~1')}`;

export const managedByAviary = (d: V1Deployment): boolean =>
  d.metadata?.labels?.[managedByLabel] === 'aviary';

function notManaged(namespace: string, name: string): DomainError {
  return new DomainError(
    'not-managed',
    `Deployment ${name} in ${namespace} exists but was not created by Aviary (no ${managedByLabel}: aviary label), so Aviary will not change it; rename or delete it, or label it ${managedByLabel}=aviary if Aviary may replace it`,
    { deployment: name, namespace },
  );
}

export function firstImage(d: V1Deployment): string {
  const image = d.spec?.template.spec?.containers[0]?.image;
  if (!image)
    throw new DomainError('target-not-canaryable', `Deployment ${d.metadata?.name} has no container image`);
  return image;
}

export function rolledOut(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

/**
 * The canary Deployment: stable's pod template with the candidate image and `version: canary`
 * in selector and labels. An existing canary keeps its selector (immutable in Kubernetes).
 */
export function canaryFrom(
  stable: V1Deployment,
  name: string,
  image: string,
  replicas: number,
  existing: V1Deployment | undefined,
): V1Deployment {
  const template = structuredClone(stable.spec!.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, version: 'canary' } };
  const container = template.spec?.containers[0];
  if (!container)
    throw new DomainError('target-not-canaryable', `Deployment ${stable.metadata?.name} has no containers`);
  container.image = image;
  const selector = existing?.spec?.selector ?? {
    ...stable.spec!.selector,
    matchLabels: { ...stable.spec!.selector.matchLabels, version: 'canary' },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: stable.metadata?.namespace,
      labels: { ...stable.metadata?.labels, version: 'canary', [managedByLabel]: 'aviary' },
      ...(existing?.metadata?.resourceVersion ? { resourceVersion: existing.metadata.resourceVersion } : {}),
    },
    spec: { ...structuredClone(stable.spec!), replicas, selector, template },
  };
}
