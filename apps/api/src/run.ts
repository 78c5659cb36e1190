import { randomBytes } from 'node:crypto';
import { RolloutEngine, toContract } from '@aviary/core';
import { IdempotencyRepo, SqliteHistoryStore, createDb } from '@aviary/db';
import {
  DeploymentWorkloads,
  IstioRouter,
  createKubeClients,
  discoverTargets,
  watchRouterWeights,
} from '@aviary/kube';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Env } from './env.ts';
import { EventBus } from './events-bus.ts';

export interface RunningServer {
  app: FastifyInstance;
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
  const router = new IstioRouter(kube.custom, { version: env.AVIARY_ISTIO_API_VERSION });
  const workloads = new DeploymentWorkloads(kube.apps, {
    availableTimeoutMs: env.AVIARY_AVAILABLE_TIMEOUT_MS,
  });
  const bus = new EventBus();
  const engine = new RolloutEngine({
    history,
    router,
    workloads,
    actionWaitMs: env.AVIARY_ACTION_WAIT_MS,
    onWrite: ({ rollout, events }) => {
      bus.publish({ type: 'rollout', rollout: toContract(rollout) });
      for (const event of events) bus.publish({ type: 'event', event });
    },
  });

  const prometheus = env.AVIARY_PROMETHEUS_URL;
  const app = await buildApp(
    {
      engine,
      history,
      idempotency,
      bus,
      adminToken,
      discover: () => discoverTargets(kube.apps, kube.custom, env.AVIARY_ISTIO_API_VERSION),
      readiness: [
        { name: 'database', check: async () => void database.sqlite.prepare('select 1').get() },
        { name: 'cluster', check: async () => void (await kube.version.getCode()) },
        {
          name: 'prometheus',
          check: async () => {
            if (!prometheus) throw new Error('AVIARY_PROMETHEUS_URL is not set');
            const res = await fetch(`${prometheus}/-/ready`);
            if (!res.ok) throw new Error(`${prometheus} answered ${res.status}`);
          },
        },
      ],
    },
    {
      logger:
        env.AVIARY_LOG_LEVEL === 'silent'
          ? false
          : { level: env.AVIARY_LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    },
  );

  await app.listen({ host: env.AVIARY_HOST, port: env.AVIARY_PORT });
  const address = app.server.address();
  const url = `http://${env.AVIARY_HOST}:${typeof address === 'object' && address ? address.port : env.AVIARY_PORT}`;

  await engine.recover();
  const watch = watchRouterWeights(
    kube.config,
    router.watchPath(),
    (target, weights) => engine.observe(target, weights),
    (vs) => router.remember(vs),
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      watch.stop();
      await app.close();
      // Give running operations a moment to record their outcome; a restart finishes the rest.
      await Promise.race([engine.idle(), new Promise((r) => setTimeout(r, 5_000))]);
      database.close();
    })();
    return stopping;
  };
  return { app, url, adminToken, stop };
}
