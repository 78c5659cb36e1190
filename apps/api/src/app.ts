import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type ServerInfo, paths } from '@aviary/contracts';
import type {
  HistoryStore,
  MetricPointStore,
  RolloutEngine,
  TargetResolver,
  TrafficRouter,
} from '@aviary/core';
import type { IdempotencyRepo } from '@aviary/db';
import type { DiscoveredTarget } from '@aviary/kube';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { EventBus } from './events-bus.ts';
import type { Guard } from './jobs/guard.ts';
import type { Access } from './auth/access.ts';
import { registerAudit } from './plugins/audit.ts';
import { registerAuth } from './plugins/auth.ts';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './plugins/errors.ts';
import { registerIdempotency } from './plugins/idempotency.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { serveDashboard } from './plugins/static.ts';
import type { Guardrails } from './policies.ts';
import type { Profiles } from './profiles.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { gateRoutes } from './routes/gates.ts';
import { type ReadinessCheck, healthRoutes } from './routes/health.ts';
import { policyRoutes } from './routes/policies.ts';
import { profileRoutes } from './routes/profiles.ts';
import { rolloutRoutes } from './routes/rollouts.ts';
import { settingsRoutes } from './routes/settings.ts';
import { streamRoutes } from './routes/stream.ts';
import { targetRoutes } from './routes/targets.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { userRoutes } from './routes/users.ts';

export interface AppDeps {
  engine: RolloutEngine;
  history: HistoryStore;
  idempotency: IdempotencyRepo;
  discover: () => Promise<DiscoveredTarget[]>;
  readiness: ReadinessCheck[];
  bus: EventBus;
  access: Access;
  guard: Guard;
  points: MetricPointStore;
  profiles: Profiles;
  guardrails: Guardrails;
  router: TrafficRouter;
  targets: TargetResolver;
  /** Seconds between stored chart points: the finest chart step there is. */
  chartIntervalSeconds: number;
  info: ServerInfo;
  streams: { perPrincipal: number; total: number; checkEveryMs?: number };
  /** When set, `/metrics` answers only requests bearing it. */
  metricsToken?: string;
  /** The built dashboard to serve at `/`, if there is one. */
  webRoot?: string;
}

/** Builds the API; never listens (server.ts does, tests use inject() or listen on port 0). */
export async function buildApp(deps: AppDeps, opts: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ ...opts, bodyLimit: 256 * 1024, frameworkErrors, clientErrorHandler });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  // First, so that every answer carries them, a 401 from the auth hook included.
  await registerSecurityHeaders(app, deps.access.isTrusted);
  // Before any route (Swagger UI's included): every route is checked for its role as it is added.
  registerAuth(app, deps.access);
  registerAudit(app, deps.access);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Aviary API',
        version: '1',
        description: 'Manually gated canary releases on Kubernetes',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: paths.docs });
  app.get(paths.openapi, { config: { role: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerIdempotency(app, {
    repo: deps.idempotency,
    settings: deps.access.settings,
    users: deps.access.users,
  });
  registerMetrics(app, deps.history, deps.metricsToken);
  await app.register(healthRoutes(deps.readiness, deps.info));
  await app.register(targetRoutes(deps));
  await app.register(rolloutRoutes(deps));
  await app.register(gateRoutes({ ...deps, intervalSeconds: deps.chartIntervalSeconds }));
  await app.register(profileRoutes(deps));
  await app.register(policyRoutes(deps));
  await app.register(
    streamRoutes(deps.bus, {
      ...deps.streams,
      // identify() throws once the session expired or ended, or the token was revoked.
      recheck: (request) => void deps.access.authenticator.identify(request),
    }),
  );
  await app.register(authRoutes(deps.access));
  await app.register(tokenRoutes(deps.access));
  await app.register(userRoutes(deps.access));
  await app.register(settingsRoutes(deps.access));
  await app.register(auditRoutes(deps.access));
  if (deps.webRoot) await serveDashboard(app, deps.webRoot);
  return app;
}
