import { StatusError, badRequest } from './status.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge key by key, `null` deletes, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

const ops = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Check the shape of an RFC 6902 document; a malformed one is 400, as the API server decodes it first. */
export function parseJsonPatch(doc: unknown): JsonPatchOp[] {
  if (!Array.isArray(doc)) throw badRequest('json patch must be an array of operations');
  return doc.map((op, i) => {
    if (!isObject(op) || typeof op.op !== 'string' || !ops.has(op.op) || typeof op.path !== 'string') {
      throw badRequest(
        `json patch operation ${i} is malformed: it needs "op" (add, remove, replace, move, copy, test) and "path"`,
      );
    }
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') {
      throw badRequest(`json patch operation ${i} (${op.op}) is missing "from"`);
    }
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !('value' in op)) {
      throw badRequest(`json patch operation ${i} (${op.op}) is missing "value"`);
    }
    return op as unknown as JsonPatchOp;
  });
}

/** Failures while applying are 422, matching the API server's answer to a patch that cannot apply. */
function unprocessable(message: string): StatusError {
  return new StatusError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw unprocessable(`invalid JSON pointer "${pointer}": it must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: Json[], token: string, pointer: string, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw unprocessable(`array index ${i} out of bounds in "${pointer}"`);
  return i;
}

/** The container and final token a pointer names; the container must exist. */
function resolveParent(doc: Json, pointer: string): { parent: Json; token: string } | undefined {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return undefined;
  let node: Json | undefined = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, pointer, false)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw unprocessable(`path "${pointer}" does not exist`);
  }
  if (node === undefined || (!Array.isArray(node) && !isObject(node)))
    throw unprocessable(`path "${pointer}" does not exist`);
  return { parent: node, token: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, pointer: string): Json {
  const loc = resolveParent(doc, pointer);
  if (!loc) return doc;
  const { parent, token } = loc;
  if (Array.isArray(parent)) return parent[arrayIndex(parent, token, pointer, false)]!;
  if (isObject(parent) && Object.hasOwn(parent, token)) return parent[token]!;
  throw unprocessable(`path "${pointer}" does not exist`);
}

function removeAt(doc: Json, pointer: string): { doc: Json; removed: Json } {
  const loc = resolveParent(doc, pointer);
  if (!loc) throw unprocessable('cannot remove the whole document');
  const { parent, token } = loc;
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(parent, token, pointer, false), 1);
    return { doc, removed: removed! };
  }
  if (!isObject(parent) || !Object.hasOwn(parent, token))
    throw unprocessable(`path "${pointer}" does not exist`);
  const removed = parent[token]!;
  delete parent[token];
  return { doc, removed };
}

function addAt(doc: Json, pointer: string, value: Json): Json {
  const loc = resolveParent(doc, pointer);
  if (!loc) return value;
  const { parent, token } = loc;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, pointer, true), 0, value);
  else (parent as JsonObject)[token] = value;
  return doc;
}

function replaceAt(doc: Json, pointer: string, value: Json): Json {
  const loc = resolveParent(doc, pointer);
  if (!loc) return value;
  const { parent, token } = loc;
  if (Array.isArray(parent)) parent[arrayIndex(parent, token, pointer, false)] = value;
  else if (isObject(parent) && Object.hasOwn(parent, token)) parent[token] = value;
  else throw unprocessable(`path "${pointer}" does not exist`);
  return doc;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]!));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k]!, b[k]!))
    );
  }
  return false;
}

/** RFC 6902 JSON patch, all or nothing: the input is never modified. */
export function jsonPatch(target: Json, operations: readonly JsonPatchOp[]): Json {
  let doc = structuredClone(target);
  for (const op of operations) {
    const value = op.value === undefined ? null : structuredClone(op.value);
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, value);
        break;
      case 'remove':
        doc = removeAt(doc, op.path).doc;
        break;
      case 'replace':
        doc = replaceAt(doc, op.path, value);
        break;
      case 'move': {
        if (op.path.startsWith(`${op.from}/`))
          throw unprocessable(`cannot move "${op.from}" into its own child "${op.path}"`);
        const { removed } = removeAt(doc, op.from!);
        doc = addAt(doc, op.path, removed);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from!)));
        break;
      case 'test':
        if (!deepEqual(getAt(doc, op.path), value)) {
          throw unprocessable(`testing value ${op.path} failed: expected ${JSON.stringify(value)}`);
        }
        break;
    }
  }
  return doc;
}
