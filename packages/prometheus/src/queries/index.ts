import type { MetricsSource } from '@aviary/contracts';
import { appQueries } from './app.ts';
import { istioQueries } from './istio.ts';
import { linkerdQueries } from './linkerd.ts';
import { nginxQueries } from './nginx.ts';
import { traefikQueries } from './traefik.ts';
import type { MeshQueries } from './types.ts';

/** PromQL per metrics source, looked up by the target's source. */
export const meshQueries: Record<MetricsSource, MeshQueries> = {
  istio: istioQueries,
  linkerd: linkerdQueries,
  nginx: nginxQueries,
  traefik: traefikQueries,
  app: appQueries,
};

export type MeshProvider = MetricsSource;

export { appQueries, istioQueries, linkerdQueries, nginxQueries, traefikQueries };
export type { MeshQueries, RolloutQueryInput } from './types.ts';
