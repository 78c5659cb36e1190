import type { RouterProvider } from '@aviary/contracts';
import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { LeanHttp } from '../lean-http.ts';
import { gatewayApiRouter } from './gateway-api.ts';
import { IstioRouter } from './istio.ts';
import { nginxRouter } from './nginx.ts';
import type { RouterAdapter } from './provider.ts';
import { smiRouter } from './smi.ts';
import { traefikRouter } from './traefik.ts';

export interface RouterOptions {
  /** Istio's API version: `v1` (Istio ≥ 1.22) or `v1beta1` for older meshes. */
  istioVersion?: string;
  /** A lean client for the VirtualService write a rollback waits on. */
  lean?: LeanHttp;
  /** To create missing `<service>-stable`/`<service>-canary` Services for the routers that split between Services. */
  core?: CoreV1Api;
}

/** The one table of traffic routers: a target's `router` picks its adapter here, nowhere else. */
export const trafficRouters: Record<
  RouterProvider,
  (custom: CustomObjectsApi, opts: RouterOptions) => RouterAdapter
> = {
  istio: (custom, opts) => new IstioRouter(custom, { version: opts.istioVersion, lean: opts.lean }),
  'gateway-api': (custom, opts) => gatewayApiRouter(custom, opts.core),
  smi: (custom, opts) => smiRouter(custom, opts.core),
  nginx: (custom, opts) => nginxRouter(custom, opts.core),
  traefik: (custom, opts) => traefikRouter(custom, opts.core),
};

/** Router settings from the server's environment (each router reads its own variables). */
export function routerOptionsFromEnv(env: { AVIARY_ISTIO_API_VERSION?: string }): RouterOptions {
  return { istioVersion: env.AVIARY_ISTIO_API_VERSION };
}

export function createRouterAdapters(custom: CustomObjectsApi, opts: RouterOptions = {}): RouterAdapter[] {
  return Object.values(trafficRouters).map((make) => make(custom, opts));
}

export { IstioRouter };
export { TrafficRouters } from './table.ts';
export type { ObservedSplit, RouterAdapter, RouterTarget } from './provider.ts';
