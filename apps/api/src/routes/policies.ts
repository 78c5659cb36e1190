import {
  Approval,
  ApprovalList,
  ApprovalStatus,
  ErrorBody,
  KubeName,
  Rollout,
  TargetPolicy,
  TargetPolicyView,
  policyPaths,
} from '@aviary/contracts';
import { type TargetResolver, type TrafficRouter, toContract } from '@aviary/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Guardrails } from '../policies.ts';

const TargetParams = z.object({ namespace: KubeName, service: KubeName });
const ApprovalParams = z.object({ id: z.string().min(1).max(100) });
const ListApprovalsQuery = z.object({
  status: ApprovalStatus.optional(),
  rolloutId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const approvalAudit = (a: Approval) => ({
  approvalId: a.id,
  rolloutId: a.rolloutId,
  target: `${a.namespace}/${a.service}`,
  action: a.action,
  requestedBy: a.requestedBy,
  status: a.status,
  decidedBy: a.decidedBy,
});

export const policyRoutes =
  (deps: { guardrails: Guardrails; router: TrafficRouter; targets: TargetResolver }): FastifyPluginAsyncZod =>
  async (app) => {
    const { guardrails } = deps;

    app.get(
      policyPaths.targetPolicy,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['targets'],
          summary:
            "A target's two-person rule, change-freeze windows and promotion threshold, and whether promotion is frozen now",
          params: TargetParams,
          response: { 200: TargetPolicyView, 400: ErrorBody },
        },
      },
      async (request) => guardrails.view(request.params.namespace, request.params.service),
    );

    app.put(
      policyPaths.targetPolicy,
      {
        config: { role: 'admin' },
        schema: {
          tags: ['targets'],
          summary:
            "Replace a target's policy: requireApproval, weekly freeze windows in IANA time zones, and the promotionThreshold (percent, default 50) from which a move up counts as a promotion",
          params: TargetParams,
          body: TargetPolicy,
          response: {
            200: TargetPolicyView,
            400: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            422: ErrorBody,
            503: ErrorBody,
          },
        },
      },
      async (request) => {
        const { namespace, service } = request.params;
        guardrails.assertNamespaceAllowed(namespace);
        // A target that is not there gets no policy: this answers 404/422 with what is missing.
        await deps.router.getWeights(await deps.targets.resolve(namespace, service));
        const before = guardrails.view(namespace, service);
        const after = guardrails.put(namespace, service, request.body, request.actor);
        const kept = (v: typeof before) => ({
          requireApproval: v.requireApproval,
          freezeWindows: v.freezeWindows,
          promotionThreshold: v.promotionThreshold,
        });
        request.audit({
          action: 'policy-updated',
          subject: `target/${namespace}/${service}`,
          before: kept(before),
          after: kept(after),
        });
        return after;
      },
    );

    app.get(
      policyPaths.approvals,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['approvals'],
          summary: 'Approvals (two-person rule), newest first; filter by status and rollout',
          querystring: ListApprovalsQuery,
          response: { 200: ApprovalList, 400: ErrorBody },
        },
      },
      async (request) => {
        const { limit, ...filter } = request.query;
        return { items: guardrails.list(filter, limit) };
      },
    );

    app.post(
      policyPaths.approve,
      {
        config: { role: 'operator' },
        schema: {
          tags: ['approvals'],
          summary: 'Approve a pending action as a second operator: it runs now, with you as the actor',
          description:
            'The requester cannot approve their own request (403 approval-self). The gate is checked as it is now; if it no longer allows the action the approval stays pending. 409 change-frozen in a freeze window.',
          params: ApprovalParams,
          response: {
            200: Rollout,
            202: Rollout,
            400: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
            422: ErrorBody,
            503: ErrorBody,
            504: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        // The action's own audit record is written by the engine with its event.
        const { approval, rollout } = await guardrails.approve(
          request.params.id,
          guardrails.operator(request.principal),
          request.auditContext({}),
        );
        request.audit({
          action: 'approval-approved',
          subject: `rollout/${approval.rolloutId}`,
          before: { status: 'pending' },
          after: approvalAudit(approval),
          reason: approval.action.reason ?? null,
        });
        const underway = rollout.operation && !rollout.operation.recorded;
        return reply.status(underway ? 202 : 200).send(toContract(rollout));
      },
    );

    app.post(
      policyPaths.withdraw,
      {
        config: { role: 'operator' },
        schema: {
          tags: ['approvals'],
          summary: 'Withdraw a pending approval (the requester, or an admin)',
          params: ApprovalParams,
          response: { 200: Approval, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const approval = guardrails.withdraw(
          request.params.id,
          guardrails.operator(request.principal),
          request.principal?.role === 'admin',
        );
        request.audit({
          action: 'approval-withdrawn',
          subject: `rollout/${approval.rolloutId}`,
          before: { status: 'pending' },
          after: approvalAudit(approval),
        });
        return approval;
      },
    );
  };
