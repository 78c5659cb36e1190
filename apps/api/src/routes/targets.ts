import { ErrorBody, TargetList, paths } from '@aviary/contracts';
import type { HistoryStore } from '@aviary/core';
import type { DiscoveredTarget } from '@aviary/kube';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const targetRoutes =
  (deps: { discover: () => Promise<DiscoveredTarget[]>; history: HistoryStore }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      paths.targets,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['targets'],
          summary: 'Services Aviary can canary, discovered from the cluster, with live weights',
          description:
            'A target is a Deployment named like the service selecting version: stable, and a traffic router object splitting the service between stable and canary (`router` says which router, `objects` which of its objects, `metrics` whose metrics the gate reads). `problems` says what a service still lacks.',
          response: { 200: TargetList, 503: ErrorBody },
        },
      },
      async () => {
        const targets = await deps.discover();
        return {
          items: targets.map((t) => ({
            ...t,
            activeRolloutId: deps.history.findActive(t.namespace, t.service)?.id ?? null,
          })),
        };
      },
    );
  };
