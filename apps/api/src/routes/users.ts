import { randomUUID } from 'node:crypto';
import { CreateUserRequest, ErrorBody, IdParams, User, UserList, authPaths } from '@aviary/contracts';
import { DomainError } from '@aviary/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Access } from '../auth/access.ts';
import { hashPassword } from '../auth/passwords.ts';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Local users (admin only). The first one is created with the bootstrap AVIARY_ADMIN_TOKEN. */
export const userRoutes =
  (access: Access): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      authPaths.users,
      {
        config: { role: 'admin' },
        schema: {
          tags: ['access'],
          summary: 'Create a local user with a password (stored with scrypt) and a role',
          body: CreateUserRequest,
          response: { 201: User, ...errors },
        },
      },
      async (request, reply) => {
        const { username, password, role } = request.body;
        const user = access.users.create({
          id: randomUUID(),
          username,
          role,
          passwordHash: await hashPassword(password),
          createdAt: new Date().toISOString(),
          createdBy: request.actor,
        });
        if (!user)
          throw new DomainError('user-exists', `a user named ${username} exists; pick another name`, {
            field: 'username',
          });
        request.audit({
          action: 'user-created',
          subject: `user/${username}`,
          after: { id: user.id, username, role },
        });
        return reply.status(201).send(user);
      },
    );

    app.get(
      authPaths.users,
      {
        config: { role: 'admin' },
        schema: { tags: ['access'], summary: 'Local users', response: { 200: UserList } },
      },
      async () => ({ items: access.users.list() }),
    );

    app.delete(
      authPaths.user,
      {
        config: { role: 'admin' },
        schema: {
          tags: ['access'],
          summary: 'Delete a user; their sessions and API tokens stop working at once',
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const user = access.users.byId(request.params.id);
        if (!user) throw new DomainError('user-not-found', 'no such user; list them with GET /api/v1/users');
        if (request.principal?.userId === user.id)
          throw new DomainError('invalid-request', 'you cannot delete yourself; ask another admin');
        access.users.delete(user.id, new Date().toISOString());
        request.audit({
          action: 'user-deleted',
          subject: `user/${user.username}`,
          before: { id: user.id, username: user.username, role: user.role },
        });
        return reply.status(204).send(null);
      },
    );
  };
