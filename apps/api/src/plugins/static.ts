import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The built dashboard at `/`. Deep links (`/rollouts/…`) get index.html so the app can route
 * them; unknown `/api/…` paths keep their JSON 404. Hashed assets are cached for a long time,
 * index.html never.
 */
export async function serveDashboard(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(`no dashboard build at ${root}; run pnpm --filter @aviary/web build`);
    return;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '365d', immutable: true });
  const index = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0, immutable: false });
  app.get('/', { config: { role: 'public' }, schema: { hide: true } }, index);
  app.get('/*', { config: { role: 'public' }, schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path === '/metrics' || /\.[a-z0-9]+$/i.test(path))
      return reply.callNotFound();
    return index(request, reply);
  });
}
