import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { defaultKubeTimeoutMs, makeApiClient } from './timeout.ts';

export interface KubeConnection {
  /** A kubeconfig file; without one, in-cluster service-account config, else the default kubeconfig. */
  kubeconfig?: string;
  context?: string;
  /**
   * Where the pod's service-account files are mounted, below the standard
   * /var/run/secrets/kubernetes.io/serviceaccount (a root other than `/` only in tests).
   */
  serviceAccountRoot?: string;
  /** Every call (watches aside) gives up after this long; default 30 s. */
  timeoutMs?: number;
}

export interface KubeClients {
  config: KubeConfig;
  apps: AppsV1Api;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  version: VersionApi;
  /** The API server's address, for messages (never credentials). */
  server: string;
}

export function loadKubeConfig(conn: KubeConnection): KubeConfig {
  const config = new KubeConfig();
  if (conn.kubeconfig) config.loadFromFile(conn.kubeconfig);
  else if (process.env.KUBERNETES_SERVICE_HOST) config.loadFromCluster(conn.serviceAccountRoot);
  else config.loadFromDefault();
  if (conn.context) {
    if (!config.getContextObject(conn.context)) {
      throw new Error(
        `kube context "${conn.context}" is not in the kubeconfig (have: ${config
          .getContexts()
          .map((c) => c.name)
          .join(', ')})`,
      );
    }
    config.setCurrentContext(conn.context);
  }
  return config;
}

export function createKubeClients(conn: KubeConnection): KubeClients {
  const config = loadKubeConfig(conn);
  const timeoutMs = conn.timeoutMs ?? defaultKubeTimeoutMs;
  return {
    config,
    apps: makeApiClient(config, AppsV1Api, timeoutMs),
    core: makeApiClient(config, CoreV1Api, timeoutMs),
    custom: makeApiClient(config, CustomObjectsApi, timeoutMs),
    version: makeApiClient(config, VersionApi, timeoutMs),
    server: config.getCurrentCluster()?.server ?? 'unknown',
  };
}
