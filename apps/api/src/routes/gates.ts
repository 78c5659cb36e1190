import {
  ErrorBody,
  GateResponse,
  type GateResult,
  MetricsQuery,
  MetricsResponse,
  RolloutIdParams,
  finalPhases,
  paths,
} from '@aviary/contracts';
import {
  type HistoryStore,
  type MetricPointStore,
  type RolloutEngine,
  chooseStep,
  downsample,
  weightSeries,
} from '@aviary/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Guard } from '../jobs/guard.ts';

export interface GateRouteDeps {
  engine: RolloutEngine;
  history: HistoryStore;
  points: MetricPointStore;
  guard: Guard;
  /** Seconds between stored chart points: the finest chart step there is. */
  intervalSeconds: number;
}

export const gateRoutes =
  (deps: GateRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      paths.rolloutGate,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['gates'],
          summary:
            'The gate at the current step: verdict, and per check the numbers, samples, p-value and time to significance',
          params: RolloutIdParams,
          response: { 200: GateResponse, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const rollout = deps.engine.get(request.params.id);
        const gate = deps.guard.current(rollout) ?? notEvaluated(rollout.phase, rollout.updatedAt);
        return { rolloutId: rollout.id, ...gate };
      },
    );

    app.get(
      paths.rolloutMetrics,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['gates'],
          summary:
            'Chart-ready canary and stable series, the weight as a step function, and the events as annotations',
          description:
            'Served from the points Aviary stored while the rollout ran, so finished rollouts replay after Prometheus dropped the data. No series exceeds 1,000 points.',
          params: RolloutIdParams,
          querystring: MetricsQuery,
          response: { 200: MetricsResponse, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const rollout = deps.engine.get(request.params.id);
        const finished = finalPhases.includes(rollout.phase);
        const from = request.query.from ?? rollout.createdAt;
        const to = request.query.to ?? (finished ? rollout.updatedAt : new Date().toISOString());
        const fromMs = Date.parse(from);
        const toMs = Date.parse(to);
        const step = chooseStep(fromMs, toMs, request.query.step, deps.intervalSeconds);
        const points = deps.points.range(rollout.id, from, to);
        const events = deps.history.events(rollout.id, 10_000);
        return {
          rolloutId: rollout.id,
          from,
          to,
          step,
          canary: downsample(
            points.filter((p) => p.arm === 'canary'),
            fromMs,
            step,
          ),
          stable: downsample(
            points.filter((p) => p.arm === 'stable'),
            fromMs,
            step,
          ),
          weight: weightSeries(events),
          annotations: events
            .filter((e) => e.action !== 'canary-ready')
            .map((e) => ({
              at: e.at,
              action: e.action,
              actor: e.actor,
              reason: e.reason,
              toWeight: e.toWeight,
            })),
          thresholds: deps.guard.thresholds(rollout.id),
        };
      },
    );
  };

function notEvaluated(phase: string, at: string): GateResult {
  const summary =
    phase === 'progressing' || phase === 'paused'
      ? 'the gate has not evaluated this step yet; it runs every few seconds'
      : `the rollout is ${phase}: there is no gate to pass`;
  return {
    verdict: 'inconclusive',
    evaluatedAt: at,
    stepStartedAt: at,
    bakeSecondsRemaining: 0,
    canaryRequestRate: null,
    checks: [],
    summary,
  };
}
