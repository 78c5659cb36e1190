import { type LoginRequest, type Me, authPaths } from '@aviary/contracts';
import { describeError, isApiError } from './ApiError.ts';
import { setCsrfToken } from './csrf.ts';
import { apiFetch } from './fetch.ts';
import { takePendingToken } from './hashToken.ts';
import { setSignInNotice } from './signInNotice.ts';

const remember = (me: Me): Me => {
  setCsrfToken(me.csrfToken);
  return me;
};

export const login = async (body: LoginRequest): Promise<Me> =>
  remember(await apiFetch<Me>(authPaths.login, { method: 'POST', body }));

export async function logout(): Promise<void> {
  try {
    await apiFetch<void>(authPaths.logout, { method: 'POST' });
  } finally {
    setCsrfToken(null);
  }
}

/**
 * Who is signed in: null when nobody is (401). A `#token=` link is exchanged for a session first;
 * if that fails the sign-in page says why.
 */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  const token = takePendingToken();
  if (token) {
    try {
      return await login({ token });
    } catch (err) {
      if (!isApiError(err) || !err.isClientError) throw err;
      setSignInNotice(`The sign-in link did not work: ${describeError(err).message}`);
    }
  }
  try {
    return remember(await apiFetch<Me>(authPaths.me, { signal }));
  } catch (err) {
    if (isApiError(err) && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}
