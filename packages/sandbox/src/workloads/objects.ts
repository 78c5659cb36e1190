import type { KubeObject } from '../kube/store.ts';

/** Where a pod's real listener port is published (podIP is always 127.0.0.1). */
export const PORT_ANNOTATION = 'sandbox.aviary.dev/port';
export const POD_IP = '127.0.0.1';

// Kubernetes' rand.SafeEncodeString alphabet: no vowels, no easily confused characters.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a 32-bit over a canonical JSON of the template, encoded as Kubernetes does (10-ish chars). */
export function podTemplateHash(template: unknown): string {
  let hash = 0x811c9dc5;
  for (const ch of canonicalJson(template)) {
    hash ^= ch.charCodeAt(0) & 0xff;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join('');
}

export function randomSuffix(length = 5, random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[Math.floor(random() * SAFE.length)];
  return out;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export interface PodInput {
  deploy: KubeObject;
  name: string;
  hash: string;
  port: number;
}

/** A Pod as the ReplicaSet controller would create it, still Pending. */
export function buildPod({ deploy, name, hash, port }: PodInput): KubeObject {
  const template = deploy.spec?.template ?? {};
  const rsName = `${deploy.metadata.name}-${hash}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: deploy.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
      annotations: { ...(template.metadata?.annotations ?? {}), [PORT_ANNOTATION]: String(port) },
      // The sandbox serves no ReplicaSets, but the owner chain is named as on a real cluster
      // (the mesh strips `-<pod-template-hash>` to find the workload, as Istio does).
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rsName,
          uid: `${deploy.metadata.uid ?? ''}-${hash}`,
          controller: true,
        },
      ],
    },
    spec: { ...structuredClone(template.spec ?? {}), nodeName: 'sandbox' },
    status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [cond('PodScheduled', 'True')] },
  };
}

/** The status a Pod reports once its listener has been up for the ready delay. */
export function runningStatus(pod: KubeObject, startedAt: string): Record<string, unknown> {
  const containers: { name?: string; image?: string }[] = pod.spec?.containers ?? [];
  return {
    phase: 'Running',
    qosClass: 'BestEffort',
    hostIP: POD_IP,
    podIP: POD_IP,
    podIPs: [{ ip: POD_IP }],
    startTime: startedAt,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => cond(type, 'True')),
    containerStatuses: containers.map((c) => ({
      name: c.name ?? 'app',
      image: c.image ?? '',
      imageID: '',
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt } },
    })),
  };
}

function cond(type: string, status: string) {
  return { type, status, lastProbeTime: null, lastTransitionTime: now() };
}

export interface PodCounts {
  /** Pods of every template (what the ReplicaSets together own). */
  total: number;
  /** Pods of the current template. */
  updated: number;
  ready: number;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/**
 * Deployment status as the deployment controller computes it (sync.go `calculateStatus`).
 * Zero counts are omitted, as the real API server's JSON does (Go `omitempty`).
 */
export function deploymentStatus(
  deploy: KubeObject,
  hash: string,
  counts: PodCounts,
): Record<string, unknown> {
  const desired: number = deploy.spec?.replicas ?? 1;
  const available = counts.ready;
  const rs = `ReplicaSet "${deploy.metadata.name}-${hash}"`;
  const complete = counts.updated === desired && counts.total === desired && available === desired;
  const minAvailable = desired - maxUnavailable(deploy, desired);
  const previous: Condition[] = deploy.status?.conditions ?? [];
  const conditions = [
    available >= minAvailable
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    complete
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `${rs} has successfully progressed.`,
        }
      : {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `${rs} is progressing.`,
        },
  ].map((c) =>
    stamp(
      c,
      previous.find((p) => p.type === c.type),
    ),
  );

  const status: Record<string, unknown> = { observedGeneration: deploy.metadata.generation ?? 1 };
  const fields: [string, number][] = [
    ['replicas', counts.total],
    ['updatedReplicas', counts.updated],
    ['readyReplicas', counts.ready],
    ['availableReplicas', available],
    ['unavailableReplicas', Math.max(0, counts.total - available)],
  ];
  for (const [key, value] of fields) if (value > 0) status[key] = value;
  status.conditions = conditions;
  return status;
}

// Timestamps only move when the condition does, so an unchanged status is a no-op write.
function stamp(next: Condition, prev: Condition | undefined): Condition {
  const t = now();
  const transitioned = !prev || prev.status !== next.status;
  const updated = transitioned || prev.reason !== next.reason || prev.message !== next.message;
  return {
    ...next,
    lastUpdateTime: updated ? t : (prev.lastUpdateTime ?? t),
    lastTransitionTime: transitioned ? t : (prev.lastTransitionTime ?? t),
  };
}

/** `spec.strategy.rollingUpdate.maxUnavailable` (int or percent, default 25%, rounded down). */
function maxUnavailable(deploy: KubeObject, desired: number): number {
  const value: unknown = deploy.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
  if (typeof value === 'number') return value;
  const pct = /^(\d+)%$/.exec(String(value));
  return pct ? Math.floor((desired * Number(pct[1])) / 100) : 0;
}
