import { type Json, type JsonObject, isObject } from './patch.ts';

/**
 * Strategic merge patch as `kubectl apply` sends it for built-in kinds. Kubernetes reads merge
 * keys from Go struct tags; the sandbox serves a handful of built-in kinds, so a table of the
 * list fields they have is enough. Lists not in the table are atomic (the patch replaces them).
 */
const mergeKeyByField: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
};

const containerFields = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Lists of scalars merged as sets rather than replaced. */
const primitiveMergeFields = new Set(['finalizers']);

function mergeKeyFor(path: readonly string[]): string | undefined {
  const field = path[path.length - 1];
  if (field === undefined) return undefined;
  // Container ports merge by containerPort; Service ports by port.
  if (field === 'ports') return containerFields.has(path[path.length - 2] ?? '') ? 'containerPort' : 'port';
  return mergeKeyByField[field];
}

const DELETE = Symbol('delete');

export function strategicMergePatch(target: Json | undefined, patch: Json): Json {
  const out = mergeValue(target, patch, []);
  return out === DELETE ? {} : out;
}

function mergeValue(original: Json | undefined, patch: Json, path: string[]): Json | typeof DELETE {
  if (Array.isArray(patch)) return mergeList(original, patch, path);
  if (isObject(patch)) return mergeMap(original, patch, path);
  return patch;
}

function mergeMap(original: Json | undefined, patch: JsonObject, path: string[]): JsonObject | typeof DELETE {
  const directive = patch.$patch;
  if (directive === 'delete') return DELETE;
  if (directive === 'replace') return stripDirectives(patch) as JsonObject;

  const out: JsonObject = isObject(original) ? { ...original } : {};
  const orders: [string, Json[]][] = [];
  const deletions: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      if (Array.isArray(value)) deletions.push([key.slice('$deleteFromPrimitiveList/'.length), value]);
      continue;
    }
    // Other directives ($patch: merge, $retainKeys, unknown ones) are never stored.
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergeValue(out[key], value, [...path, key]);
    if (merged === DELETE) delete out[key];
    else out[key] = merged;
  }

  for (const [field, remove] of deletions) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = list.filter((v) => !remove.some((r) => r === v));
  }
  for (const [field, order] of orders) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = applyOrder(list, order, mergeKeyFor([...path, field]));
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeList(original: Json | undefined, patch: Json[], path: string[]): Json[] {
  const isReplace = (el: Json) => isObject(el) && el.$patch === 'replace' && Object.keys(el).length === 1;
  if (patch.some(isReplace)) return patch.filter((el) => !isReplace(el)).map(stripDirectives);

  const field = path[path.length - 1] ?? '';
  const mergeKey = mergeKeyFor(path);
  const base = Array.isArray(original) ? [...original] : [];
  if (primitiveMergeFields.has(field)) {
    for (const el of patch) if (!base.includes(el)) base.push(el);
    return base;
  }
  if (!mergeKey) return patch.filter((el) => !(isObject(el) && el.$patch === 'delete')).map(stripDirectives);

  let result = base;
  for (const el of patch) {
    if (!isObject(el)) continue;
    const key = el[mergeKey];
    if (key === undefined) {
      // A bare `{$patch: delete}` in a merging list deletes the whole list.
      if (el.$patch === 'delete') result = [];
      continue;
    }
    const index = result.findIndex((item) => isObject(item) && item[mergeKey] === key);
    if (el.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const merged = mergeMap(index >= 0 ? result[index] : undefined, el, path);
    if (merged === DELETE) continue;
    if (index >= 0) result[index] = merged;
    else result.push(merged);
  }
  return result;
}

/**
 * `$setElementOrder/<field>`: the patch's order wins for the items it names; items only the
 * server has keep their positions, as Kubernetes keeps server-only items in place.
 */
function applyOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (item: Json): Json | undefined =>
    mergeKey ? (isObject(item) ? item[mergeKey] : undefined) : item;
  const rank = new Map<Json, number>();
  order.forEach((entry, i) => {
    const k = keyOf(entry);
    if (k !== undefined && !rank.has(k)) rank.set(k, i);
  });
  const slots: number[] = [];
  const ordered: Json[] = [];
  list.forEach((item, i) => {
    const k = keyOf(item);
    if (k !== undefined && rank.has(k)) {
      slots.push(i);
      ordered.push(item);
    }
  });
  ordered.sort((a, b) => rank.get(keyOf(a)!)! - rank.get(keyOf(b)!)!);
  const out = [...list];
  slots.forEach((slot, i) => {
    out[slot] = ordered[i]!;
  });
  return out;
}

/** A value taken from the patch as is: drop every `$…` directive key inside it. */
function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) {
    return value
      .filter((el) => !(isObject(el) && typeof el.$patch === 'string' && Object.keys(el).length === 1))
      .map(stripDirectives);
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}
