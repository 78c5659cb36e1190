import { randomUUID } from 'node:crypto';
import {
  ApiToken,
  CreateTokenRequest,
  CreatedToken,
  ErrorBody,
  IdParams,
  TokenList,
  atLeast,
  authPaths,
} from '@aviary/contracts';
import { DomainError } from '@aviary/core';
import type { StoredToken } from '@aviary/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Access } from '../auth/access.ts';
import type { Principal } from '../auth/principal.ts';
import { newSecret, sha256, tokenPrefix } from '../auth/secrets.ts';

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const show = ({ ownerId: _, ...token }: StoredToken): ApiToken => token;
const seesAll = (p: Principal) => p.role === 'admin';
const audited = ({ id, name, role, owner, expiresAt }: StoredToken) => ({ id, name, role, owner, expiresAt });

/** API tokens: yours (admins: everyone's); the secret only in the answer that creates one. */
export const tokenRoutes =
  (access: Access): FastifyPluginAsyncZod =>
  async (app) => {
    const principalOf = (p: Principal | null): Principal => {
      if (!p || p.via === 'anonymous' || p.via === 'proxy')
        throw new DomainError(
          'forbidden',
          'API tokens belong to local users or the bootstrap admin; sign in with a local account, or ask an admin',
        );
      return p;
    };

    app.post(
      authPaths.tokens,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['access'],
          summary:
            'Create an API token for yourself, with a role no higher than yours; the secret is shown once',
          body: CreateTokenRequest,
          response: { 201: CreatedToken, ...errors },
        },
      },
      async (request, reply) => {
        const p = principalOf(request.principal);
        const { name, role, expiresAt } = request.body;
        if (!atLeast(p.role, role))
          throw new DomainError(
            'role-above-owner',
            `a token cannot have more than your role (${p.role}); ask for a ${role} token from someone who has it`,
          );
        let expires = expiresAt ? new Date(expiresAt).toISOString() : null;
        if (expires && expires <= new Date().toISOString())
          throw new DomainError('invalid-request', 'expiresAt is in the past; pick a future time', {
            field: 'expiresAt',
          });
        // A token cannot outlive the token that made it: no expiry means the parent's.
        const parent = p.tokenId ? access.tokens.byId(p.tokenId) : null;
        if (parent?.expiresAt) {
          if (!expires) expires = parent.expiresAt;
          else if (expires > parent.expiresAt)
            throw new DomainError(
              'invalid-request',
              `a token cannot outlive the token that makes it (${parent.expiresAt}); pick an earlier expiresAt or leave it out`,
              { field: 'expiresAt' },
            );
        }
        const bootstrap = p.userId === null && p.tokenId === null;
        const secret = newSecret(tokenPrefix);
        const token = access.tokens.create(
          {
            id: randomUUID(),
            name,
            role,
            ownerId: p.userId,
            owner: p.userId ? p.actor : 'admin',
            createdAt: new Date().toISOString(),
            expiresAt: expires,
            parentId: parent?.id ?? null,
            bootstrapFingerprint: bootstrap ? access.authenticator.bootstrapFingerprint : null,
          },
          sha256(secret),
        );
        request.audit({ action: 'token-created', subject: `token/${token.id}`, after: audited(token) });
        return reply.status(201).send({ id: token.id, name: token.name, role: token.role, token: secret });
      },
    );

    app.get(
      authPaths.tokens,
      {
        config: { role: 'viewer', anonymous: false },
        schema: {
          tags: ['access'],
          summary: 'Your API tokens (admins: everyone’s), with last use; never the secret',
          response: { 200: TokenList, ...errors },
        },
      },
      async (request) => {
        const p = principalOf(request.principal);
        return { items: access.tokens.list(seesAll(p) ? undefined : p.userId).map(show) };
      },
    );

    app.delete(
      authPaths.token,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['access'],
          summary:
            'Revoke a token (yours, or any as admin); it stops working at once, with its sessions and every token made with it',
          params: IdParams,
          response: { 200: ApiToken, ...errors },
        },
      },
      async (request) => {
        const p = principalOf(request.principal);
        const token = access.tokens.byId(request.params.id);
        if (!token || (!seesAll(p) && token.ownerId !== p.userId))
          throw new DomainError(
            'token-not-found',
            'no such token of yours; list yours with GET /api/v1/tokens',
          );
        const ids = access.tokens.revoke(token.id, new Date().toISOString());
        const revoked = access.tokens.byId(token.id) ?? token;
        request.audit({
          action: 'token-revoked',
          subject: `token/${token.id}`,
          before: audited(token),
          after: { revokedAt: revoked.revokedAt, alsoRevoked: ids.filter((id) => id !== token.id) },
        });
        return show(revoked);
      },
    );
  };
