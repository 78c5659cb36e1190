/**
 * The CSRF token of the current cookie session, as `GET /auth/me` or the login answered it.
 * Kept in memory only: the session itself is an HttpOnly cookie the page never sees.
 */
let current: string | null = null;

export const getCsrfToken = (): string | null => current;

export function setCsrfToken(token: string | null): void {
  current = token;
}
