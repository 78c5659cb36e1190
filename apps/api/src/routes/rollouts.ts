import {
  ActionRequest,
  AllowedActions,
  ErrorBody,
  EventList,
  ListEventsQuery,
  ListRolloutsQuery,
  PendingApprovalResponse,
  Rollout,
  RolloutIdParams,
  RolloutList,
  StartRolloutRequest,
  atLeast,
  defaultSteps,
  paths,
} from '@aviary/contracts';
import {
  type HistoryStore,
  type RolloutEngine,
  type TargetResolver,
  rolloutSummary,
  toContract,
} from '@aviary/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Guardrails } from '../policies.ts';

const IdempotencyHeader = z.looseObject({ 'idempotency-key': z.string().max(200).optional() });

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  503: ErrorBody,
  504: ErrorBody,
};

export const rolloutRoutes =
  (deps: {
    engine: RolloutEngine;
    history: HistoryStore;
    guardrails: Guardrails;
    targets: TargetResolver;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    const { engine, history, guardrails } = deps;

    app.post(
      paths.rollouts,
      {
        config: { role: 'operator' },
        schema: {
          tags: ['rollouts'],
          summary:
            'Start a canary: create the canary Deployment, wait until it is available, set the first step',
          description:
            'The first step must be below 100. During a freeze window a start is 409 change-frozen; on a target with the two-person rule a first step at or above its promotionThreshold is 409 approval-required.',
          headers: IdempotencyHeader,
          body: StartRolloutRequest,
          response: { 201: Rollout, 403: ErrorBody, ...errors },
        },
      },
      async (request, reply) => {
        const { namespace, service, image, steps = [...defaultSteps] } = request.body;
        // A start passes the same guardrails as an action (freeze windows, the two-person rule)
        // and the allowlists of namespaces and registries.
        guardrails.admitStart(namespace, service, image, steps);
        const { router } = await deps.targets.resolve(namespace, service);
        // Its audit record is written with the rollout and its first event, in one transaction.
        const rollout = await engine.start({ ...request.body, router }, request.actor, {
          audit: request.auditContext({}),
        });
        return reply
          .status(201)
          .header('location', `${paths.rollouts}/${rollout.id}`)
          .send(toContract(rollout));
      },
    );

    app.get(
      paths.rollouts,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['rollouts'],
          summary: 'Rollouts, newest first, with cursor pagination',
          querystring: ListRolloutsQuery,
          response: { 200: RolloutList, 400: ErrorBody },
        },
      },
      async (request) => {
        const { limit, cursor, ...filter } = request.query;
        const page = history.list(filter, limit, cursor);
        const items = page.items.map((r) => ({
          ...toContract(r),
          ...rolloutSummary(r, history.events(r.id, 10_000)),
        }));
        return { items, nextCursor: page.nextCursor };
      },
    );

    app.get(
      paths.rollout,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['rollouts'],
          params: RolloutIdParams,
          response: { 200: Rollout, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => toContract(engine.get(request.params.id)),
    );

    app.get(
      paths.rolloutEvents,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['rollouts'],
          summary: "A rollout's append-only history: who, when, what, from/to weight, why",
          params: RolloutIdParams,
          querystring: ListEventsQuery,
          response: { 200: EventList, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        engine.get(request.params.id);
        return { items: history.events(request.params.id, request.query.limit, request.query.after) };
      },
    );

    app.get(
      paths.rolloutActions,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['rollouts'],
          summary: 'What the caller may do to the rollout now, and why not',
          description:
            'Each action type with `allowed`, and when refused the `reason` and error `code` the POST would answer with; whether it needs an override of the gate (with a reason) or waits for a second operator. Judged by the same rules as the POST, for the calling principal.',
          params: RolloutIdParams,
          response: { 200: AllowedActions, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const rollout = engine.get(request.params.id);
        const principal = request.principal;
        const denied =
          principal && atLeast(principal.role, 'operator')
            ? null
            : principal && principal.via !== 'anonymous'
              ? `this needs the operator role and ${principal.actor} has ${principal.role}; ask an admin for operator access`
              : 'this needs the operator role; sign in first';
        const actions = engine.allowedActions(rollout.id, {
          denied,
          screen: (action) => guardrails.screen(rollout, action),
        });
        // The answer depends on the caller and the moment: never reuse it from a cache.
        reply.header('cache-control', 'no-store');
        return { rolloutId: rollout.id, version: rollout.version, actions };
      },
    );

    app.post(
      paths.rolloutActions,
      {
        config: { role: 'operator' },
        schema: {
          tags: ['rollouts'],
          summary: 'step, set-weight, pause, resume, promote or rollback',
          description:
            'Answers 200 with the rollout once the cluster did it, or 202 with the rollout mid-operation when the work takes longer than AVIARY_ACTION_WAIT_MS (the stream reports its end). On a target with the two-person rule, a promotion (promote, or a step or set-weight up to the target’s promotionThreshold or above) answers 202 with `{approval, rollout}`: it waits for a second operator (POST /api/v1/approvals/:id/approve). During a freeze window a promotion is 409 change-frozen; rollback is never frozen.',
          headers: IdempotencyHeader,
          params: RolloutIdParams,
          body: ActionRequest,
          response: { 200: Rollout, 202: z.union([Rollout, PendingApprovalResponse]), ...errors },
        },
      },
      async (request, reply) => {
        const before = engine.get(request.params.id);
        const approval = guardrails.admit(before, request.body, guardrails.operator(request.principal));
        if (approval) {
          request.audit({
            action: 'approval-requested',
            subject: `rollout/${before.id}`,
            after: {
              approvalId: approval.id,
              rolloutId: approval.rolloutId,
              target: `${approval.namespace}/${approval.service}`,
              action: approval.action,
              status: approval.status,
            },
            reason: request.body.reason ?? null,
          });
          return reply.status(202).send({ approval, rollout: toContract(engine.get(before.id)) });
        }
        // The audit record is written with the action's event, in the same transaction.
        const rollout = await engine.act(request.params.id, request.body, request.actor, {
          current: before,
          audit: request.auditContext({ request: request.body }),
        });
        // 202 while the action itself is still under way; cleanup after it does not count.
        const underway = rollout.operation && !rollout.operation.recorded;
        return reply.status(underway ? 202 : 200).send(toContract(rollout));
      },
    );
  };
