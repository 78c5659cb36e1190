import { ErrorBody, KubeName, MetricProfile, TargetProfile, paths } from '@aviary/contracts';
import type { TargetResolver, TrafficRouter } from '@aviary/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Guardrails } from '../policies.ts';
import type { Profiles } from '../profiles.ts';

const TargetParams = z.object({ namespace: KubeName, service: KubeName });

export const profileRoutes =
  (deps: {
    profiles: Profiles;
    router: TrafficRouter;
    targets: TargetResolver;
    guardrails: Guardrails;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      paths.targetProfile,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['targets'],
          summary: "A target's metric profile: what its gate checks and how strictly",
          params: TargetParams,
          response: { 200: TargetProfile, 400: ErrorBody, 404: ErrorBody, 422: ErrorBody, 503: ErrorBody },
        },
      },
      async (request) => {
        const { namespace, service } = request.params;
        // A target that is not there has no profile: this answers 404/422 with what is missing.
        await deps.router.getWeights(await deps.targets.resolve(namespace, service));
        return deps.profiles.get(namespace, service);
      },
    );

    app.put(
      paths.targetProfile,
      {
        config: { role: 'admin' },
        schema: {
          tags: ['targets'],
          summary: "Replace a target's metric profile; every query is checked by Prometheus first",
          params: TargetParams,
          body: MetricProfile,
          response: {
            200: TargetProfile,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            422: ErrorBody,
            503: ErrorBody,
          },
        },
      },
      async (request) => {
        const { namespace, service } = request.params;
        deps.guardrails.assertNamespaceAllowed(namespace);
        await deps.router.getWeights(await deps.targets.resolve(namespace, service));
        const before = await deps.profiles.get(namespace, service);
        const saved = await deps.profiles.put(namespace, service, request.body, request.actor);
        request.audit({
          action: 'profile-updated',
          subject: `target/${namespace}/${service}`,
          before: { source: before.source, profile: before.profile },
          after: { source: saved.source, profile: saved.profile },
        });
        return saved;
      },
    );
  };
