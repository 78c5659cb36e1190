import type { AppsV1Api, V1Deployment } from '@kubernetes/client-node';
import { withRetry } from './retry.ts';
import type { RoutedTarget, TrafficRouters } from './traffic-routers/table.ts';
import { firstImage } from './workloads.ts';

export interface DiscoveredTarget extends RoutedTarget {
  stableImage: string | null;
  stableReplicas: number | null;
}

/**
 * What a cluster needs for a service to be a target (also in the README): a Deployment named
 * like the service whose selector includes `version: stable`, and a router object splitting the
 * service between stable and canary (each router's adapter says what it looks for).
 */
export async function discoverTargets(apps: AppsV1Api, routers: TrafficRouters): Promise<DiscoveredTarget[]> {
  const [routed, deployList] = await Promise.all([
    routers.discover(),
    withRetry('listing Deployments', () => apps.listDeploymentForAllNamespaces()),
  ]);
  const deployments = deployList.items;
  return routed.map((target) => {
    const problems = [...target.problems];
    const deployment = deployments.find(
      (d) => d.metadata?.namespace === target.namespace && d.metadata?.name === target.service,
    );
    if (!deployment) problems.push(`no Deployment named ${target.service} in ${target.namespace}`);
    else if (deployment.spec?.selector.matchLabels?.version !== 'stable') {
      problems.push(
        `Deployment ${target.service} must select version: stable, so its pods and the canary's stay apart`,
      );
    }
    return {
      ...target,
      problems,
      stableImage: deployment ? imageOrNull(deployment) : null,
      stableReplicas: deployment?.spec?.replicas ?? null,
    };
  });
}

function imageOrNull(d: V1Deployment): string | null {
  try {
    return firstImage(d);
  } catch {
    return null;
  }
}
