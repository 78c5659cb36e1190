/** The token in a `…/#token=…` link (the start command prints one), or null. Pure. */
export function tokenFromHash(hash: string): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]).trim() || null;
  } catch {
    return null;
  }
}

let pending: string | null = null;

/**
 * Take the token out of the address bar (and history) at once; it is exchanged for a session
 * cookie by the first `/auth/me` query, then forgotten.
 */
export function captureTokenFromHash(location: Location, history: History): void {
  const token = tokenFromHash(location.hash);
  if (!token) return;
  pending = token;
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function takePendingToken(): string | null {
  const token = pending;
  pending = null;
  return token;
}
