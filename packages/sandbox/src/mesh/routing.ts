/**
 * Istio VirtualService evaluation, pure: which rule matches a request, which weighted
 * destination it picks, and how per-destination header operations apply. The proxy (proxy.ts)
 * calls this on every request with the live spec.
 */

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HttpMatchRequest {
  name?: string;
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  ignoreUriCase?: boolean;
  /** Labels of the calling workload; the sandbox's callers (the load generator) have none. */
  sourceLabels?: Record<string, string>;
  gateways?: string[];
}

export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

export interface Destination {
  host: string;
  subset?: string;
  port?: { number?: number };
}

export interface HttpRouteDestination {
  destination: Destination;
  weight?: number;
  headers?: Headers;
}

export interface HttpRoute {
  name?: string;
  match?: HttpMatchRequest[];
  route?: HttpRouteDestination[];
  headers?: Headers;
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HttpRoute[];
}

/** What routing looks at. Header names are lower-case, as Node delivers them. */
export interface RequestView {
  method: string;
  /** Path with optional query string, as on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type RouteDecision =
  | { kind: 'route'; rule: HttpRoute; ruleIndex: number; destination: HttpRouteDestination }
  /** No rule matched: Envoy answers 404 with response flag NR. */
  | { kind: 'no-route' }
  /** The matching rule has no destination with weight > 0. */
  | { kind: 'no-destination'; rule: HttpRoute; ruleIndex: number };

/** First matching rule of `spec.http`, then a destination of it by weight. */
export function decideRoute(
  spec: VirtualServiceSpec,
  req: RequestView,
  random: () => number = Math.random,
): RouteDecision {
  const rules = spec.http ?? [];
  const ruleIndex = rules.findIndex((rule) => ruleMatches(rule, req));
  const rule = rules[ruleIndex];
  if (!rule) return { kind: 'no-route' };
  const destination = pickWeighted(rule.route ?? [], random);
  return destination
    ? { kind: 'route', rule, ruleIndex, destination }
    : { kind: 'no-destination', rule, ruleIndex };
}

/** Any of the match blocks (no block = match all); within a block, every condition. */
export function ruleMatches(rule: HttpRoute, req: RequestView): boolean {
  if (!rule.match || rule.match.length === 0) return true;
  return rule.match.some((m) => blockMatches(m, req));
}

function blockMatches(m: HttpMatchRequest, req: RequestView): boolean {
  if (m.gateways && !m.gateways.includes('mesh')) return false;
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) return false;
  const q = req.url.indexOf('?');
  // Envoy matches the path without its query string.
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (m.uri && !stringMatches(m.uri, path, m.ignoreUriCase)) return false;
  if (m.method && !stringMatches(m.method, req.method)) return false;
  for (const [name, match] of Object.entries(m.headers ?? {})) {
    const value = headerValue(req.headers, name);
    if (value === undefined || !stringMatches(match, value)) return false;
  }
  for (const [name, match] of Object.entries(m.withoutHeaders ?? {})) {
    const value = headerValue(req.headers, name);
    if (value !== undefined && stringMatches(match, value)) return false;
  }
  if (m.queryParams) {
    const params = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
    for (const [name, match] of Object.entries(m.queryParams)) {
      const value = params.get(name);
      if (value === null || !stringMatches(match, value)) return false;
    }
  }
  return true;
}

/** exact / prefix / regex (RE2 semantics: the whole value must match). Empty match = any. */
export function stringMatches(match: StringMatch, value: string, ignoreCase = false): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  if (match.exact !== undefined) return v === (ignoreCase ? match.exact.toLowerCase() : match.exact);
  if (match.prefix !== undefined) return v.startsWith(ignoreCase ? match.prefix.toLowerCase() : match.prefix);
  if (match.regex !== undefined) return anchored(match.regex)?.test(value) ?? false;
  return true;
}

const regexCache = new Map<string, RegExp | null>();

/** RE2 → JS: fully anchored, `(?P<name>` named groups accepted. Invalid → null (never matches). */
function anchored(source: string): RegExp | null {
  let re = regexCache.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source.replaceAll('(?P<', '(?<')})$`, 's');
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

function headerValue(headers: RequestView['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Share = weight / sum of the rule's weights. A sole destination takes everything even without
 * a weight; with several, a missing weight counts 0; all zero picks none.
 */
export function pickWeighted(
  route: readonly HttpRouteDestination[],
  random: () => number = Math.random,
): HttpRouteDestination | undefined {
  if (route.length === 1) return route[0];
  let total = 0;
  for (const r of route) total += Math.max(0, r.weight ?? 0);
  if (total <= 0) return undefined;
  let point = random() * total;
  for (const r of route) {
    const w = Math.max(0, r.weight ?? 0);
    if (point < w) return r;
    point -= w;
  }
  // Floating-point leftovers land on the last destination that has weight.
  return route.findLast((r) => (r.weight ?? 0) > 0);
}

const CLUSTER_SUFFIX = '.svc.cluster.local';

/**
 * A host as Istio resolves it: a short name is relative to the namespace of the object that
 * names it; `name.ns` and `name.ns.svc` are completed to the FQDN.
 */
export function toFqdn(host: string, namespace: string): string {
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}${CLUSTER_SUFFIX}`;
  if (parts.length === 2) return `${host}${CLUSTER_SUFFIX}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** Whether a VirtualService in `vsNamespace` with these hosts applies to the service `fqdn`. */
export function hostsName(hosts: readonly string[], vsNamespace: string, fqdn: string): boolean {
  return hosts.some((h) => {
    if (h === '*') return true;
    if (h.startsWith('*.')) return fqdn.endsWith(h.slice(1));
    return toFqdn(h, vsNamespace) === fqdn;
  });
}

/** Sidecars only apply VirtualServices bound to the `mesh` gateway (the default when none). */
export function appliesToMesh(spec: VirtualServiceSpec): boolean {
  return !spec.gateways || spec.gateways.length === 0 || spec.gateways.includes('mesh');
}

export type HeaderMap = Record<string, string | string[] | number | undefined>;

/** Envoy's order: remove, then set (replace), then add (append). Mutates and returns `headers`. */
export function applyHeaderOperations<T extends HeaderMap>(headers: T, ops: HeaderOperations | undefined): T {
  if (!ops) return headers;
  const h = headers as HeaderMap;
  for (const name of ops.remove ?? []) delete h[name.toLowerCase()];
  for (const [name, value] of Object.entries(ops.set ?? {})) h[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(ops.add ?? {})) {
    const key = name.toLowerCase();
    const prev = h[key];
    if (prev === undefined) h[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else h[key] = key === 'cookie' ? `${prev}; ${value}` : [String(prev), value];
  }
  return headers;
}
