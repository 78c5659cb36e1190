import { authPaths, csrfHeader } from '@aviary/contracts';
import { ApiError } from './ApiError.ts';
import { getCsrfToken, setCsrfToken } from './csrf.ts';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** `text` for exports (CSV); JSON otherwise. */
  as?: 'json' | 'text';
}

/** Fill `:name` segments of a contracts route path. */
export function route(path: string, params: Record<string, string>): string {
  return path.replace(/:([a-zA-Z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = asRecord(asRecord(body)?.error);
  const code = typeof error?.code === 'string' ? error.code : `http-${res.status}`;
  const message =
    typeof error?.message === 'string' ? error.message : `the API answered ${res.status} ${res.statusText}`;
  const field = typeof error?.field === 'string' ? error.field : undefined;
  const details = asRecord(error?.details) ?? {};
  const retryAfter = Number(res.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0 && details.retryAfterSeconds === undefined)
    details.retryAfterSeconds = retryAfter;
  return new ApiError(res.status, code, message, field, Object.keys(details).length ? details : undefined);
}

const isMutation = (method: string) => method !== 'GET';

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    accept: options.as === 'text' ? 'text/csv, text/plain' : 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = getCsrfToken();
  if (csrf && isMutation(method)) headers[csrfHeader] = csrf;
  try {
    return await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', `cannot reach the Aviary API (${path})`);
  }
}

/** Ask /auth/me for a fresh CSRF token (the session may have been renewed in another tab). */
async function refreshCsrf(): Promise<boolean> {
  const res = await send(authPaths.me, {});
  if (!res.ok) return false;
  const me = asRecord(await res.json());
  const token = typeof me?.csrfToken === 'string' ? me.csrfToken : null;
  setCsrfToken(token);
  return token !== null;
}

/**
 * The only function in the dashboard that calls fetch. The session is the HttpOnly cookie; every
 * change carries the session's CSRF token. A change refused for a stale CSRF token (nothing
 * happened) is retried once with a fresh one.
 */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(path, options);
  if (res.status === 403 && isMutation(options.method ?? 'GET')) {
    const error = await toApiError(res.clone());
    if (error.code === 'csrf-token-invalid' && (await refreshCsrf())) res = await send(path, options);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  if (options.as === 'text') return (await res.text()) as T;
  return (await res.json()) as T;
}
