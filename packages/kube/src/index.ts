export { createKubeClients, loadKubeConfig, type KubeClients, type KubeConnection } from './client.ts';
export { LeanHttp } from './lean-http.ts';
export { LeaseElector, type LeaseOptions } from './lease.ts';
export { isTransient, kubeMessage, withRetry, type RetryPolicy } from './retry.ts';
export { discoverTargets, type DiscoveredTarget } from './targets.ts';
export {
  IstioRouter,
  TrafficRouters,
  createRouterAdapters,
  routerOptionsFromEnv,
  trafficRouters,
  type ObservedSplit,
  type RouterAdapter,
  type RouterOptions,
  type RouterTarget,
} from './traffic-routers/index.ts';
export type { RoutedTarget } from './traffic-routers/table.ts';
export { readSplit, splitServices, withSplit, type VirtualService } from './traffic-routers/istio-routes.ts';
export { watchRouterWeights, type WeightsListener } from './watch.ts';
export { DeploymentWorkloads, canaryName, rolledOut, type WorkloadOptions } from './workloads.ts';
