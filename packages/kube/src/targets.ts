import type { TargetRef, TrafficSplit } from '@aviary/core';
import type { AppsV1Api, CustomObjectsApi, V1Deployment } from '@kubernetes/client-node';
import { withRetry } from './retry.ts';
import {
  type VirtualService,
  readSplit,
  serviceOfHost,
  splitServices,
} from './traffic-routers/istio-routes.ts';
import { istioGroup } from './traffic-routers/istio.ts';
import { firstImage } from './workloads.ts';

export interface DiscoveredTarget extends TargetRef {
  virtualService: string;
  destinationRule: string | null;
  weights: TrafficSplit | null;
  stableImage: string | null;
  stableReplicas: number | null;
  /** Why Aviary cannot canary it yet; empty when it can. */
  problems: string[];
}

interface DestinationRule {
  metadata: { name: string; namespace?: string };
  spec?: { host?: string; subsets?: { name?: string; labels?: Record<string, string> }[] };
}

/**
 * What a cluster needs for a service to be a target (also in the README): a Deployment named
 * like the service whose selector includes `version: stable`; a DestinationRule for the host
 * with subsets `stable` and `canary` selecting `version: stable` / `version: canary`; and a
 * VirtualService with an HTTP rule routing to both subsets with weights.
 */
export async function discoverTargets(
  apps: AppsV1Api,
  custom: CustomObjectsApi,
  istioVersion = 'v1',
): Promise<DiscoveredTarget[]> {
  const [vsList, drList, deployList] = await withRetry('discovering targets', () =>
    Promise.all([
      custom.listClusterCustomObject({ group: istioGroup, version: istioVersion, plural: 'virtualservices' }),
      custom.listClusterCustomObject({
        group: istioGroup,
        version: istioVersion,
        plural: 'destinationrules',
      }),
      apps.listDeploymentForAllNamespaces(),
    ]),
  );
  const rules = (drList as { items: DestinationRule[] }).items;
  const deployments = deployList.items;
  const targets: DiscoveredTarget[] = [];
  for (const vs of (vsList as { items: VirtualService[] }).items) {
    const namespace = vs.metadata.namespace ?? 'default';
    for (const service of splitServices(vs)) {
      const problems: string[] = [];
      const dr = rules.find(
        (r) => r.metadata.namespace === namespace && serviceOfHost(r.spec?.host ?? '') === service,
      );
      if (!dr) problems.push(`no DestinationRule for host ${service} in ${namespace}`);
      else {
        for (const subset of ['stable', 'canary']) {
          const labels = dr.spec?.subsets?.find((s) => s.name === subset)?.labels;
          if (labels?.version !== subset)
            problems.push(
              `DestinationRule ${dr.metadata.name} needs subset "${subset}" selecting version: ${subset}`,
            );
        }
      }
      const deployment = deployments.find(
        (d) => d.metadata?.namespace === namespace && d.metadata?.name === service,
      );
      if (!deployment) problems.push(`no Deployment named ${service} in ${namespace}`);
      else if (deployment.spec?.selector.matchLabels?.version !== 'stable') {
        problems.push(
          `Deployment ${service} must select version: stable, so its pods and the canary's stay apart`,
        );
      }
      targets.push({
        namespace,
        service,
        router: 'istio',
        virtualService: vs.metadata.name,
        destinationRule: dr?.metadata.name ?? null,
        weights: readSplit(vs, service) ?? null,
        stableImage: deployment ? imageOrNull(deployment) : null,
        stableReplicas: deployment?.spec?.replicas ?? null,
        problems,
      });
    }
  }
  return targets.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.service.localeCompare(b.service));
}

function imageOrNull(d: V1Deployment): string | null {
  try {
    return firstImage(d);
  } catch {
    return null;
  }
}
