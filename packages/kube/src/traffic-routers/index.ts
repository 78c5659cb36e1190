import type { RouterProvider } from '@aviary/contracts';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { IstioRouter } from './istio.ts';

/**
 * One adapter per traffic router, looked up by provider. Gateway API, SMI, NGINX and Traefik
 * join this table as their adapters land (ROUTERS.md has what each needs).
 */
export const trafficRouters = {
  istio: (custom: CustomObjectsApi) => new IstioRouter(custom),
} satisfies Partial<Record<RouterProvider, (custom: CustomObjectsApi) => unknown>>;

export { IstioRouter };
