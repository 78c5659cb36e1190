import { finalPhases, rolloutPhases } from '@aviary/contracts';
import { DomainError, type HistoryStore } from '@aviary/core';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { safeEqual } from '../auth/secrets.ts';

/**
 * `/metrics`: Aviary's own request metrics and, per target with a rollout, the canary weight and
 * the rollout phase — so the weight can be graphed next to error rates in any Prometheus.
 */
export function registerMetrics(app: FastifyInstance, history: HistoryStore, token?: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aviary_process_' });
  const requests = new Counter({
    name: 'aviary_http_requests_total',
    help: 'HTTP requests served by the Aviary API',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'aviary_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'aviary_canary_weight_percent',
    help: "Canary share of a target's traffic, percent, for targets with an active rollout",
    labelNames: ['namespace', 'service', 'rollout_id'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of history.listActive()) {
        this.set({ namespace: r.target.namespace, service: r.target.service, rollout_id: r.id }, r.weight);
      }
    },
  });
  new Gauge({
    name: 'aviary_rollout_phase',
    help: "1 for the phase of each target's latest rollout, 0 for the other phases",
    labelNames: ['namespace', 'service', 'phase'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const latest = new Map<string, { namespace: string; service: string; phase: string }>();
      for (const r of [...history.list({ active: false }, 200).items, ...history.listActive()]) {
        const key = `${r.target.namespace}/${r.target.service}`;
        if (!latest.has(key) || !finalPhases.includes(r.phase))
          latest.set(key, { ...r.target, phase: r.phase });
      }
      for (const { namespace, service, phase } of latest.values()) {
        for (const p of rolloutPhases) this.set({ namespace, service, phase: p }, p === phase ? 1 : 0);
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  // Public like most exporters unless AVIARY_METRICS_TOKEN is set: then Prometheus sends it as
  // its scrape config's bearer token (target names and rollout ids are not for everyone).
  app.get('/metrics', { config: { role: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (token) {
      const sent = request.headers.authorization;
      if (!sent || !safeEqual(sent, `Bearer ${token}`))
        throw new DomainError(
          'unauthorized',
          'send Authorization: Bearer <AVIARY_METRICS_TOKEN> (authorization.credentials in a Prometheus scrape config)',
        );
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
