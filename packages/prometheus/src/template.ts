import { escapeStringBody, promString, rangeSeconds, regexEscape } from './promql.ts';

/** What a business metric template is rendered with, once per arm. */
export interface TemplateVars {
  namespace: string;
  workload: string;
  /** `{{window}}` becomes a range like `300s`. */
  windowSeconds: number;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const placeholder = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
const known = ['namespace', 'workload', 'window'];

/**
 * Render a PromQL template such as
 * `sum(increase(shop_checkouts_completed_total{namespace="{{namespace}}",workload="{{workload}}"}[{{window}}]))`.
 *
 * Values are escaped for where they land, which is why this walks the string literals instead of
 * doing a plain replace: inside `"…"`/`'…'` they are string-escaped, inside a `=~`/`!~` matcher
 * also regex-escaped, and outside any string a name becomes a quoted literal, so a value can
 * never turn into PromQL syntax. Throws TemplateError for an unknown placeholder.
 */
export function renderTemplate(template: string, vars: TemplateVars): string {
  let out = '';
  let quote: '"' | "'" | '`' | null = null;
  let regexMatcher = false;
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === '{' && template[i + 1] === '{') {
      const match = placeholder.exec(template.slice(i));
      if (match) {
        out += substitute(match[1]!, vars, quote, regexMatcher);
        i += match[0].length;
        continue;
      }
    }
    if (quote === null) {
      if (ch === '"' || ch === "'" || ch === '`') {
        quote = ch;
        regexMatcher = /[=!]~\s*$/.test(out);
      } else if (ch === '#') {
        // A comment runs to the end of the line; quotes inside it open no string.
        const end = template.indexOf('\n', i);
        const stop = end === -1 ? template.length : end;
        out += template.slice(i, stop);
        i = stop;
        continue;
      }
    } else if (ch === '\\' && quote !== '`') {
      out += template.slice(i, i + 2);
      i += 2;
      continue;
    } else if (ch === quote) {
      quote = null;
    }
    out += ch;
    i++;
  }
  return out;
}

function substitute(name: string, vars: TemplateVars, quote: '"' | "'" | '`' | null, regex: boolean): string {
  if (name === 'window') return rangeSeconds(vars.windowSeconds);
  if (name !== 'namespace' && name !== 'workload') {
    throw new TemplateError(
      `unknown placeholder {{${name}}}; use ${known.map((k) => `{{${k}}}`).join(', ')}`,
    );
  }
  const raw = vars[name];
  if (quote === null) return promString(raw);
  const value = regex ? regexEscape(raw) : raw;
  if (quote === '`') {
    // Raw strings have no escapes at all: a backtick cannot be represented.
    if (value.includes('`'))
      throw new TemplateError(`{{${name}}} contains a backtick; use "…" quotes around it`);
    return value;
  }
  return escapeStringBody(value, quote);
}
