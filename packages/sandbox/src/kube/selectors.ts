import type { KubeObject } from './store.ts';
import { badRequest } from './status.ts';

/** One clause of a label selector, as Kubernetes' `labels.Requirement`. */
export type LabelRequirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'eq' | 'neq' | 'gt' | 'lt'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type LabelSelector = readonly LabelRequirement[];

const labelKey = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * Parse `app=web,tier!=db,env in (a,b),!legacy,release` into requirements. Malformed input is a
 * 400 BadRequest, worded like the API server's, because it comes straight from a query string.
 */
export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text?.trim()) return [];
  const out: LabelRequirement[] = [];
  for (const clause of splitClauses(text)) out.push(parseRequirement(clause.trim()));
  return out;
}

/** Split on commas that are not inside a `( … )` value set. */
function splitClauses(text: string): string[] {
  const clauses: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      clauses.push(text.slice(start, i));
      start = i + 1;
    }
  }
  clauses.push(text.slice(start));
  if (depth !== 0) throw selectorError(text, 'unbalanced parentheses');
  return clauses;
}

function parseRequirement(clause: string): LabelRequirement {
  if (clause === '') throw selectorError(clause, 'empty requirement');
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(clause);
  if (setMatch) {
    const key = checkKey(setMatch[1]!, clause);
    const values = setMatch[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    for (const v of values) checkValue(v, clause);
    if (values.length === 0)
      throw selectorError(clause, 'for "in" and "notin" operators, values set can\'t be empty');
    return { key, op: setMatch[2] as 'in' | 'notin', values };
  }
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(clause);
  if (opMatch) {
    const key = checkKey(opMatch[1]!, clause);
    const value = opMatch[3]!;
    const sym = opMatch[2]!;
    if (sym === '>' || sym === '<') {
      if (!/^-?\d+$/.test(value))
        throw selectorError(clause, `for 'gt', 'lt' operators, the value must be an integer`);
      return { key, op: sym === '>' ? 'gt' : 'lt', value };
    }
    checkValue(value, clause);
    return { key, op: sym === '!=' ? 'neq' : 'eq', value };
  }
  if (clause.startsWith('!')) return { key: checkKey(clause.slice(1).trim(), clause), op: 'notExists' };
  return { key: checkKey(clause, clause), op: 'exists' };
}

function checkKey(key: string, clause: string): string {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!labelKey.test(key) || name.length > 63) throw selectorError(clause, `invalid label key "${key}"`);
  return key;
}

function checkValue(value: string, clause: string): void {
  if (value.length > 63 || !labelValue.test(value))
    throw selectorError(clause, `invalid label value: "${value}"`);
}

function selectorError(clause: string, why: string) {
  return badRequest(`unable to parse requirement: ${why} (in "${clause}")`);
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  for (const req of selector) {
    const has = labels !== undefined && Object.hasOwn(labels, req.key);
    const actual = has ? labels[req.key] : undefined;
    switch (req.op) {
      case 'exists':
        if (!has) return false;
        break;
      case 'notExists':
        if (has) return false;
        break;
      case 'eq':
        if (actual !== req.value) return false;
        break;
      case 'neq':
        // As in Kubernetes, `key!=v` also matches objects without the label.
        if (actual === req.value) return false;
        break;
      case 'in':
        if (actual === undefined || !req.values.includes(actual)) return false;
        break;
      case 'notin':
        if (actual !== undefined && req.values.includes(actual)) return false;
        break;
      case 'gt':
      case 'lt': {
        if (actual === undefined || !/^-?\d+$/.test(actual)) return false;
        const diff = Number(actual) - Number(req.value);
        if (req.op === 'gt' ? diff <= 0 : diff >= 0) return false;
        break;
      }
    }
  }
  return true;
}

/** `metadata.name=x` / `metadata.namespace!=y`: the field selectors every kind supports. */
export interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  op: 'eq' | 'neq';
  value: string;
}

export type FieldSelector = readonly FieldRequirement[];

const supportedFields = new Set(['metadata.name', 'metadata.namespace']);

export function parseFieldSelector(text: string | null | undefined): FieldSelector {
  if (!text?.trim()) return [];
  return text.split(',').map((raw) => {
    const clause = raw.trim();
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(clause);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${clause}'`);
    const field = m[1]!;
    if (!supportedFields.has(field)) throw badRequest(`field label not supported: ${field}`);
    return {
      field: field as FieldRequirement['field'],
      op: m[2] === '!=' ? 'neq' : 'eq',
      value: m[3]!.trim(),
    };
  });
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  for (const req of selector) {
    const actual = req.field === 'metadata.name' ? obj.metadata.name : (obj.metadata.namespace ?? '');
    if ((actual === req.value) !== (req.op === 'eq')) return false;
  }
  return true;
}

/** Label and field selectors of one request, ready to test objects against. */
export interface ObjectFilter {
  labels: LabelSelector;
  fields: FieldSelector;
}

export function parseFilter(query: URLSearchParams): ObjectFilter {
  return {
    labels: parseLabelSelector(query.get('labelSelector')),
    fields: parseFieldSelector(query.get('fieldSelector')),
  };
}

export function matchesFilter(filter: ObjectFilter, obj: KubeObject): boolean {
  return matchesLabels(filter.labels, obj.metadata.labels) && matchesFields(filter.fields, obj);
}

/** `{app: web, tier: db}` → `app=web,tier=db`, the form a Scale's `status.selector` carries. */
export function formatMatchLabels(matchLabels: Record<string, string> | undefined): string {
  return Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
