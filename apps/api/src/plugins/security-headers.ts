import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { strictTransportSecurity } from 'helmet';
import { type IsTrusted, cameOverHttps } from '../auth/request-info.ts';

/**
 * Security headers on every answer, the dashboard's and the API's alike. The CSP allows only
 * this origin's scripts (the built dashboard and Swagger UI load theirs from files) and forbids
 * framing, so the promote and roll-back buttons cannot be overlaid by another site. Styles may be
 * inline: the charts set them per element.
 */
export async function registerSecurityHeaders(app: FastifyInstance, isTrusted: IsTrusted): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent only on answers that went out over HTTPS (below): over plain HTTP it means nothing.
    strictTransportSecurity: false,
  });
  const hsts = strictTransportSecurity({ maxAge: 365 * 24 * 3600, includeSubDomains: true });
  app.addHook('onRequest', (request, reply, done) => {
    if (cameOverHttps(request, isTrusted)) hsts(request.raw, reply.raw, done);
    else done();
  });
}
