import type { RouterProvider } from '@aviary/contracts';
import { istioQueries } from './istio.ts';
import type { MeshQueries } from './types.ts';

/**
 * PromQL per traffic router, looked up by provider. Gateway API, SMI, NGINX and Traefik join as
 * their metrics are wired (ROUTERS.md §11 lists each one's canary and stable selectors).
 */
export const meshQueries = {
  istio: istioQueries,
} satisfies Partial<Record<RouterProvider, MeshQueries>>;

export type MeshProvider = keyof typeof meshQueries;

export { istioQueries };
export type { MeshQueries, RolloutQueryInput } from './types.ts';
