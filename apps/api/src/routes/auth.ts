import { ErrorBody, LoginRequest, Me, authPaths } from '@aviary/contracts';
import { DomainError, isDomainError } from '@aviary/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Access, anonymousReadEnabled } from '../auth/access.ts';
import { type Principal, anonymous } from '../auth/principal.ts';
import { clientAddress, readCookie } from '../auth/request-info.ts';

export function describeMe(access: Access, p: Principal): Me {
  return {
    user: p.via === 'anonymous' ? null : p.actor,
    role: p.role,
    via: p.via,
    csrfToken: p.csrfToken,
    setupRequired: access.users.count() === 0,
    anonymousRead: anonymousReadEnabled(access.settings),
  };
}

function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  access: Access,
  value: string,
  maxAge: number,
) {
  const { name, secure } = access.sessionCookie(request);
  reply.header(
    'set-cookie',
    `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`,
  );
}

/** Password checks (scrypt) running at once per account and per client address. */
const loginConcurrency = { perAccount: 1, perAddress: 2 };

/** Login (password or API token) → session cookie; logout; who am I. */
export const authRoutes =
  (access: Access): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      authPaths.login,
      {
        config: { role: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with {username, password} or {token} (an API token); sets the session cookie',
          description:
            'Answers with who you are and the csrfToken to send as x-csrf-token on every change. After five failures per account (or 20 per address) in 15 minutes each try waits a delay that doubles per failure, up to a minute: 429 with Retry-After until then. One check per account and two per address run at once; more → 429.',
          body: LoginRequest,
          response: { 200: Me, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        const { limiter, loginLimits } = access;
        const body = request.body;
        const address = `address:${clientAddress(request, access.isTrusted)}`;
        const account = 'username' in body ? `account:${body.username.trim().toLowerCase()}` : null;
        const wait = Math.max(
          limiter.retryAfter(address, loginLimits.perAddress),
          account ? limiter.retryAfter(account, loginLimits.perAccount) : 0,
        );
        if (wait > 0)
          throw new DomainError(
            'too-many-attempts',
            `too many failed sign-ins; try again in ${wait} s (each failure doubles the wait, up to a minute)`,
            { retryAfterSeconds: wait },
          );
        // Counted as a failure before the (slow) check, so a parallel burst cannot outrun it.
        const attempt = limiter.begin([
          { key: address, concurrent: loginConcurrency.perAddress },
          ...(account ? [{ key: account, concurrent: loginConcurrency.perAccount }] : []),
        ]);
        if (!attempt)
          throw new DomainError(
            'too-many-attempts',
            'other sign-ins for this account or from this address are being checked; try again in a second',
            { retryAfterSeconds: 1 },
          );
        let principal: Principal | null = null;
        try {
          if ('username' in body)
            principal = await access.authenticator.byPassword(body.username, body.password);
          else {
            try {
              principal = access.authenticator.byToken(body.token);
            } catch (err) {
              if (!isDomainError(err)) throw err;
            }
          }
        } finally {
          attempt.end(principal !== null);
        }
        if (!principal) {
          request.audit({
            action: 'login-failed',
            actor: 'username' in body ? body.username.trim().toLowerCase() : '(api token)',
            after: { method: 'username' in body ? 'password' : 'token' },
          });
          throw new DomainError(
            'invalid-credentials',
            'username' in body
              ? 'wrong username or password; check both and try again'
              : 'that token is not valid (unknown, revoked or expired); use a current API token',
          );
        }
        if (account) limiter.reset(account);
        const session = access.authenticator.startSession(principal);
        const signedIn: Principal = { ...principal, via: 'session', csrfToken: session.csrfToken };
        request.principal = signedIn;
        request.actor = signedIn.actor;
        request.audit({
          action: 'login',
          after: { method: 'username' in body ? 'password' : principal.via },
        });
        setCookie(request, reply, access, session.cookie, session.maxAgeSeconds);
        return describeMe(access, signedIn);
      },
    );

    app.post(
      authPaths.logout,
      {
        config: { role: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'End the session of this cookie (if any) and clear the cookie',
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const cookie = readCookie(request, access.sessionCookie(request).name);
        if (cookie) {
          let actor: string | undefined;
          try {
            actor = access.authenticator.identify(request)?.actor;
          } catch {
            // An expired session signs out all the same.
          }
          access.authenticator.endSession(cookie);
          if (actor) request.audit({ action: 'logout', actor });
        }
        setCookie(request, reply, access, '', 0);
        return reply.status(204).send(null);
      },
    );

    app.get(
      authPaths.me,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['auth'],
          summary: 'Who you are, your role, and the csrfToken for x-csrf-token',
          response: { 200: Me },
        },
      },
      async (request) => describeMe(access, request.principal ?? anonymous),
    );
  };
