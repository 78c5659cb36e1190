import { z } from 'zod';

/** Traffic routers Aviary knows how to drive; the sandbox mesh implements them one by one. */
export const routerProviders = ['istio', 'gateway-api', 'smi', 'nginx', 'traefik'] as const;
export const RouterProvider = z.enum(routerProviders);
export type RouterProvider = z.infer<typeof RouterProvider>;
