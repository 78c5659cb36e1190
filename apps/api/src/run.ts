import { randomBytes } from 'node:crypto';
import { DomainError, RolloutEngine, parseList, toContract } from '@aviary/core';
import {
  ApprovalsRepo,
  IdempotencyRepo,
  SessionsRepo,
  PoliciesRepo,
  SqliteHistoryStore,
  SqliteMetricPointStore,
  SqliteProfileStore,
  createDb,
} from '@aviary/db';
import {
  DeploymentWorkloads,
  LeanHttp,
  LeaseElector,
  TrafficRouters,
  canaryName,
  createKubeClients,
  createRouterAdapters,
  discoverTargets,
  routerOptionsFromEnv,
  watchRouterWeights,
} from '@aviary/kube';
import {
  PrometheusClient,
  type RolloutSample,
  isPrometheusError,
  sampleRollout,
  validateQuery,
} from '@aviary/prometheus';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Env } from './env.ts';
import { EventBus } from './events-bus.ts';
import { Guard } from './jobs/guard.ts';
import { createAccess } from './auth/access.ts';
import { purgeExpired } from './plugins/purge.ts';
import { Guardrails } from './policies.ts';
import { Profiles, invalidQuery } from './profiles.ts';

/** Expired sessions and day-old idempotency keys are deleted this often. */
const purgeEveryMs = 10 * 60_000;

export interface RunningServer {
  app: FastifyInstance;
  guard: Guard;
  url: string;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * The composition root: env → adapters (SQLite, cluster, Prometheus) → the engine → routes.
 * On start it finishes operations a previous process left half done and follows the cluster's
 * router objects to reconcile weights and record drift.
 */
export async function startServer(env: Env): Promise<RunningServer> {
  const adminToken = env.AVIARY_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  const database = createDb(env.AVIARY_DB);
  const history = new SqliteHistoryStore(database);
  const idempotency = new IdempotencyRepo(database);
  const kube = createKubeClients({ kubeconfig: env.AVIARY_KUBECONFIG, context: env.AVIARY_KUBE_CONTEXT });
  // The weight write a rollback waits on goes over a lean kept-alive client (same auth as client-node).
  const lean = new LeanHttp(kube.config);
  // One adapter per traffic router; each target's `router` picks its own.
  const workloads = new DeploymentWorkloads(kube.apps, {
    availableTimeoutMs: env.AVIARY_AVAILABLE_TIMEOUT_MS,
  });
  const router = new TrafficRouters(
    createRouterAdapters(kube.custom, { ...routerOptionsFromEnv(env), lean, core: kube.core }),
    (namespace, service) => workloads.exists(namespace, service),
  );
  const bus = new EventBus();
  const points = new SqliteMetricPointStore(database);
  const prom = env.AVIARY_PROMETHEUS_URL
    ? new PrometheusClient({ url: env.AVIARY_PROMETHEUS_URL })
    : undefined;
  const log = {
    warn: (obj: unknown, msg: string) => app.log.warn(obj, msg),
    error: (obj: unknown, msg: string) => app.log.error(obj, msg),
  };
  const profileStore = new SqliteProfileStore(database);
  const profiles = new Profiles({
    store: profileStore,
    annotations: profileStore,
    audit: (record) => access.audit.append(record),
    annotationsOf: async (namespace, service) => router.annotations(await router.resolve(namespace, service)),
    validate: async (profile, namespace, service) => {
      if (profile.business.length === 0) return;
      if (!prom)
        throw new DomainError(
          'metrics-unavailable',
          'AVIARY_PROMETHEUS_URL is not set, so business metric queries cannot be checked',
        );
      for (const metric of profile.business) {
        for (const part of ['numerator', 'denominator'] as const) {
          try {
            const result = await validateQuery(prom, metric[part], {
              namespace,
              workload: service,
              windowSeconds: 300,
            });
            if (!result.ok) throw invalidQuery(metric.name, part, result.message);
          } catch (err) {
            if (!isPrometheusError(err)) throw err;
            throw new DomainError(
              'metrics-unavailable',
              `Prometheus could not check the query: ${err.message}; try again when it answers`,
            );
          }
        }
      }
    },
    log,
  });
  const elector = new LeaseElector(kube.config, {
    namespace: env.AVIARY_LEASE_NAMESPACE,
    name: env.AVIARY_LEASE_NAME,
    log,
  });
  let guard: Guard | undefined;
  let guardrails: Guardrails | undefined;
  const engine = new RolloutEngine({
    history,
    router,
    workloads,
    gates: { current: (r) => guard?.current(r) ?? null },
    actionWaitMs: env.AVIARY_ACTION_WAIT_MS,
    onWrite: ({ rollout, events }) => {
      bus.publish({ type: 'rollout', rollout: toContract(rollout) });
      for (const event of events) bus.publish({ type: 'event', event });
      guardrails?.onRolloutWritten(rollout);
    },
  });

  const access = createAccess(database, {
    adminToken,
    adminTokenDisabled: env.AVIARY_ADMIN_TOKEN_DISABLED === '1',
    trustedProxies: env.AVIARY_TRUSTED_PROXIES,
    trustedIdentityProxies: env.AVIARY_TRUSTED_IDENTITY_PROXIES,
    secureCookies: env.AVIARY_SECURE_COOKIES === '1',
    userHeader: env.AVIARY_AUTH_USER_HEADER,
    groupsHeader: env.AVIARY_AUTH_GROUPS_HEADER,
    groupRoles: env.AVIARY_GROUP_ROLES,
    sessionIdleMinutes: env.AVIARY_SESSION_IDLE_MINUTES,
    sessionMaxHours: env.AVIARY_SESSION_MAX_HOURS,
    loginFailuresPerAccount: env.AVIARY_LOGIN_FAILURES_PER_ACCOUNT,
    loginFailuresPerAddress: env.AVIARY_LOGIN_FAILURES_PER_ADDRESS,
    tokenFailuresPerAddress: env.AVIARY_TOKEN_FAILURES_PER_ADDRESS,
  });
  guardrails = new Guardrails({
    policies: new PoliciesRepo(database),
    approvals: new ApprovalsRepo(database),
    engine,
    publish: (message) => bus.publish(message),
    // A rollback withdrew the rollout's pending approval: recorded as the one who rolled back.
    onAutoWithdraw: (approval, reason) =>
      access.audit.append({
        at: new Date().toISOString(),
        actor: approval.decidedBy ?? 'aviary',
        role: null,
        sourceAddress: null,
        action: 'approval-withdrawn',
        subject: `rollout/${approval.rolloutId}`,
        before: { status: 'pending' },
        after: {
          approvalId: approval.id,
          rolloutId: approval.rolloutId,
          action: approval.action,
          requestedBy: approval.requestedBy,
          status: approval.status,
        },
        reason,
      }),
    log,
    users: access.users,
    approvalTtlMs: env.AVIARY_APPROVAL_TTL_HOURS * 3_600_000,
    allow: {
      namespaces: parseList(env.AVIARY_ALLOWED_NAMESPACES),
      registries: parseList(env.AVIARY_ALLOWED_REGISTRIES),
    },
  });
  const chartIntervalSeconds = Math.max(env.AVIARY_CHART_INTERVAL, env.AVIARY_GATE_INTERVAL);
  guard = new Guard({
    history,
    engine,
    points,
    profileOf: async (r) => (await profiles.get(r.target.namespace, r.target.service)).profile,
    sample: async (r, stepStartedAt, profile, now) => {
      if (!prom) return noPrometheus(now);
      let provider: Awaited<ReturnType<typeof router.metricsOf>>;
      try {
        provider = await router.metricsOf(r.target);
      } catch (err) {
        return { ...noPrometheus(now), unavailable: `the target's router is unknown: ${String(err)}` };
      }
      return sampleRollout(prom, {
        provider,
        namespace: r.target.namespace,
        stableWorkload: r.target.service,
        canaryWorkload: canaryName(r.target.service),
        stepStartedAt,
        now,
        chartWindowSeconds: env.AVIARY_CHART_WINDOW,
        latencyQuantile: profile.latency.quantile,
        business: profile.business,
      });
    },
    publish: (message) => bus.publish(message),
    isLeader: () => elector.isLeader,
    intervalMs: env.AVIARY_GATE_INTERVAL * 1000,
    pointIntervalMs: chartIntervalSeconds * 1000,
    chartWindowSeconds: env.AVIARY_CHART_WINDOW,
    log,
  });
  const prometheus = env.AVIARY_PROMETHEUS_URL;
  const app = await buildApp(
    {
      engine,
      history,
      idempotency,
      bus,
      access,
      guard,
      points,
      profiles,
      guardrails,
      router,
      targets: router,
      chartIntervalSeconds,
      info: {
        version: '0.1.0',
        sandbox: env.AVIARY_SANDBOX === '1',
        gateIntervalSeconds: env.AVIARY_GATE_INTERVAL,
        prometheus: Boolean(prom),
      },
      webRoot: env.AVIARY_WEB_ROOT,
      metricsToken: env.AVIARY_METRICS_TOKEN,
      streams: {
        perPrincipal: env.AVIARY_STREAMS_PER_PRINCIPAL,
        total: env.AVIARY_STREAMS_TOTAL,
        checkEveryMs: env.AVIARY_STREAM_CHECK_SECONDS * 1000,
      },
      discover: () => discoverTargets(kube.apps, router),
      readiness: [
        { name: 'database', check: async () => void database.sqlite.prepare('select 1').get() },
        { name: 'cluster', check: async () => void (await kube.version.getCode()) },
        {
          name: 'prometheus',
          // The client sends `user:pass@` as basic auth, and gives up after its timeout.
          check: async () => {
            if (!prom) throw new Error('AVIARY_PROMETHEUS_URL is not set');
            if (!(await prom.ready())) throw new Error(`${prometheus} is not ready or not reachable`);
          },
        },
      ],
    },
    {
      logger:
        env.AVIARY_LOG_LEVEL === 'silent'
          ? false
          : {
              level: env.AVIARY_LOG_LEVEL,
              // Credentials never reach the log, whatever a serializer or a debug line includes.
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers.cookie',
                  'req.headers["x-csrf-token"]',
                  'res.headers["set-cookie"]',
                  'headers.authorization',
                  'headers.cookie',
                  'body.password',
                  'body.token',
                ],
                censor: '[redacted]',
              },
            },
    },
  );

  await app.register(
    purgeExpired({ idempotency, sessions: new SessionsRepo(database), everyMs: purgeEveryMs }),
  );
  await app.listen({ host: env.AVIARY_HOST, port: env.AVIARY_PORT });
  const address = app.server.address();
  const url = `http://${env.AVIARY_HOST}:${typeof address === 'object' && address ? address.port : env.AVIARY_PORT}`;

  await engine.recover();
  elector.start();
  guard.start();
  const watch = watchRouterWeights(
    kube.config,
    router.adapters,
    (target, weights) => {
      engine.observe(target, weights);
      void profiles.observeAnnotation(target.namespace, target.service);
    },
    { idleTimeoutMs: env.AVIARY_WATCH_IDLE_SECONDS * 1000 },
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      watch.stop();
      await guard?.stop();
      await elector.stop();
      await app.close();
      // Give running operations a moment to record their outcome; a restart finishes the rest.
      await Promise.race([engine.idle(), new Promise((r) => setTimeout(r, 5_000))]);
      lean.close();
      database.close();
    })();
    return stopping;
  };
  return { app, url, adminToken, guard, stop };
}

function noPrometheus(now: Date): RolloutSample {
  const none = { canary: null, stable: null };
  const chart = { requestRate: null, errorRate: null, p50: null, p95: null, p99: null, business: {} };
  return {
    at: now.toISOString(),
    errors: none,
    latency: { ...none, thresholdMs: null },
    business: [],
    chart: { canary: chart, stable: chart },
    canaryRequestRate: null,
    unavailable: 'no Prometheus is configured (AVIARY_PROMETHEUS_URL)',
  };
}
