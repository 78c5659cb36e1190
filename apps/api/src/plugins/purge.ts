import { type Clock, systemClock } from '@aviary/core';
import type { IdempotencyRepo, SessionsRepo } from '@aviary/db';
import type { FastifyPluginAsync } from 'fastify';
import { idempotencyKeyTtlMs } from './idempotency.ts';

export interface PurgeOptions {
  idempotency: Pick<IdempotencyRepo, 'purgeOlderThan'>;
  sessions: Pick<SessionsRepo, 'purgeExpiredBefore'>;
  everyMs: number;
  clock?: Clock;
}

/**
 * Deletes what can never be used again, once when the server is ready and then every `everyMs`:
 * sessions past their expiry, and `Idempotency-Key` records older than a day. Without it both
 * tables grow forever, and the expired session rows keep who was signed in when on disk.
 * The timer stops when the server closes.
 */
export const purgeExpired =
  ({ idempotency, sessions, everyMs, clock = systemClock }: PurgeOptions): FastifyPluginAsync =>
  async (app) => {
    const sweep = () => {
      try {
        const now = clock.now();
        const purged = {
          sessions: sessions.purgeExpiredBefore(now.toISOString()),
          idempotencyKeys: idempotency.purgeOlderThan(new Date(now.getTime() - idempotencyKeyTtlMs)),
        };
        app.log.debug({ purged }, 'purged expired sessions and idempotency keys');
      } catch (err) {
        // A busy or failing database is retried at the next sweep; serving goes on.
        app.log.error({ err }, 'purging expired sessions and idempotency keys failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      sweep();
      timer = setInterval(sweep, everyMs);
      // The sweep alone never keeps the process alive.
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  };
