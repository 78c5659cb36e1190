/**
 * Escaping for values Aviary puts into PromQL. Workload and namespace names come from the cluster
 * and from users; escaped here, they can never end a string literal or widen a regex matcher.
 */

/** The body of a PromQL `"…"` or `'…'` string literal holding `value` (Go escape rules). */
export function escapeStringBody(value: string, quote: '"' | "'" = '"'): string {
  let out = '';
  for (const ch of value) {
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\u007f') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** A double-quoted PromQL string literal, e.g. for `label="…"`. */
export function promString(value: string): string {
  return `"${escapeStringBody(value)}"`;
}

/**
 * `value` as a literal inside an RE2 regex (Go's regexp.QuoteMeta), for `=~` matchers. Prometheus
 * anchors matchers, so `=~"web|web-canary"` never matches `web-canary-2`; a dot in a Deployment
 * name would still match any character unless escaped.
 */
export function regexEscape(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A range selector duration in whole seconds; Prometheus rejects `[0s]`. */
export function rangeSeconds(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}
