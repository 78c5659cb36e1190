import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, for history. */
    actor: string;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Until users and roles land, every mutating request carries the admin bearer token; reads
 * stay open. Compared in constant time, and never logged.
 */
export function registerAuth(app: FastifyInstance, adminToken: string): void {
  const expected = digest(adminToken);
  app.decorateRequest('actor', 'anonymous');
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !timingSafeEqual(digest(token), expected)) {
      return reply.status(401).send({
        error: {
          code: 'unauthorized',
          message: token
            ? 'the bearer token is not valid; use the AVIARY_ADMIN_TOKEN this server was started with'
            : 'send Authorization: Bearer <token> (the AVIARY_ADMIN_TOKEN printed at start) to change anything',
        },
      });
    }
    request.actor = 'admin';
  });
}
