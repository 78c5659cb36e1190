import { z } from 'zod';

/** Traffic routers Aviary drives; each has one adapter in packages/kube/src/traffic-routers/. */
export const routerProviders = ['istio', 'gateway-api', 'smi', 'nginx', 'traefik'] as const;
export const RouterProvider = z.enum(routerProviders);
export type RouterProvider = z.infer<typeof RouterProvider>;

/**
 * Where a target's request and latency metrics come from: a proxy's own metrics, or `app` — the
 * application's `http_requests_total` / `http_request_duration_seconds` split by the pods'
 * `version` label (for routers whose proxies cannot tell canary from stable, and no mesh).
 */
export const metricsSources = ['istio', 'linkerd', 'nginx', 'traefik', 'app'] as const;
export const MetricsSource = z.enum(metricsSources);
export type MetricsSource = z.infer<typeof MetricsSource>;

/** A cluster object a target's routing uses, e.g. `{kind: "TrafficSplit", name: "checkout"}`. */
export const RouterObject = z.object({ kind: z.string(), name: z.string() });
export type RouterObject = z.infer<typeof RouterObject>;

/** What a target's router can express beyond a weighted split. */
export const RouterCapabilities = z.object({
  /** Requests carrying a preview header reach the canary at any weight. */
  headerPreview: z.boolean(),
  /** A user who reached one version stays on it as the weight moves. */
  stickySessions: z.boolean(),
});
export type RouterCapabilities = z.infer<typeof RouterCapabilities>;
