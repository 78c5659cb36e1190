import { ErrorBody, Settings, authPaths } from '@aviary/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Access, anonymousReadEnabled, anonymousReadKey } from '../auth/access.ts';

/** Server settings an admin changes at runtime (stored in SQLite). */
export const settingsRoutes =
  (access: Access): FastifyPluginAsyncZod =>
  async (app) => {
    const read = (): Settings => ({ anonymousRead: anonymousReadEnabled(access.settings) });

    app.get(
      authPaths.settings,
      {
        config: { role: 'admin' },
        schema: { tags: ['access'], summary: 'Server settings', response: { 200: Settings } },
      },
      async () => read(),
    );

    app.put(
      authPaths.settings,
      {
        config: { role: 'admin' },
        schema: {
          tags: ['access'],
          summary: 'Change settings: anonymousRead lets anyone read (e.g. a wallboard) without signing in',
          body: Settings,
          response: { 200: Settings, 400: ErrorBody },
        },
      },
      async (request) => {
        const before = read();
        access.settings.set(
          anonymousReadKey,
          request.body.anonymousRead,
          new Date().toISOString(),
          request.actor,
        );
        const after = read();
        request.audit({ action: 'settings-changed', subject: 'settings', before, after });
        return after;
      },
    );
  };
