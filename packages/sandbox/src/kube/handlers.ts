import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyPatch } from './apply-patch.ts';
import type { Json } from './patch.ts';
import { type ResourceType, groupVersion, preferredVersion, resourceTypes } from './resources.ts';
import { mediaType, parseBody, readBody, sendJson, unsupportedMediaType } from './respond.ts';
import type { ResourceRoute } from './route.ts';
import { getScale, updateScale } from './scale.ts';
import { matchesFilter, parseFilter } from './selectors.ts';
import { StatusError, badRequest, conflict, notFound } from './status.ts';
import type { KubeObject, ObjectStore, WriteOptions } from './store.ts';
import { toTable, wantsTable } from './table.ts';

export interface RequestContext {
  store: ObjectStore;
  req: IncomingMessage;
  res: ServerResponse;
  route: ResourceRoute;
  query: URLSearchParams;
}

const namespaceType = resourceTypes.find((rt) => rt.group === '' && rt.plural === 'namespaces')!;
const bodyTypes = ['application/json', 'application/yaml'];

/** Objects are stored at the preferred version and served at the version the client asked for. */
export function asServed(obj: KubeObject, route: Pick<ResourceRoute, 'rt' | 'version'>): KubeObject {
  if (route.version !== preferredVersion(route.rt))
    obj.apiVersion = groupVersion(route.rt.group, route.version);
  return obj;
}

function methodNotAllowed(route: ResourceRoute, method: string): StatusError {
  const why = route.rt.readOnly
    ? `${route.rt.plural} are managed by the sandbox and read-only`
    : 'the server does not allow this method on the requested resource';
  return new StatusError(405, 'MethodNotAllowed', `${why} (${method})`, {
    group: route.rt.group,
    kind: route.rt.plural,
  });
}

function writeOptions(query: URLSearchParams): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All'))
    throw badRequest(`Invalid value: ${JSON.stringify(dryRun)}: supported values: "All"`);
  return dryRun.length > 0 ? { dryRun: true } : {};
}

async function readObject(ctx: RequestContext): Promise<KubeObject> {
  const type = mediaType(ctx.req) || 'application/json';
  const yamlTypes = ['application/yaml', 'application/x-yaml'];
  if (type === 'application/vnd.kubernetes.protobuf') {
    // kubectl's generators (`kubectl create namespace|deployment …`) send protobuf; say what works instead.
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'the sandbox API server accepts JSON and YAML bodies, not protobuf: write a manifest and use `kubectl apply -f` or `kubectl create -f`',
    );
  }
  if (type !== 'application/json' && !yamlTypes.includes(type)) throw unsupportedMediaType(type, bodyTypes);
  const body = parseBody(await readBody(ctx.req), type);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the request body must be a JSON object');
  const obj = body as KubeObject;
  const { rt } = ctx.route;
  if (obj.kind !== undefined && obj.kind !== rt.kind && ctx.route.subresource !== 'scale') {
    throw badRequest(`the kind of the object (${String(obj.kind)}) does not match the resource (${rt.kind})`);
  }
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))
    obj.metadata = { name: '' };
  return obj;
}

function requireNamespace(store: ObjectStore, namespace: string | undefined): void {
  if (namespace !== undefined && !store.get(namespaceType, undefined, namespace)) {
    throw notFound(namespaceType.plural, '', namespace);
  }
}

function checkNamespace(obj: KubeObject, route: ResourceRoute): void {
  if (route.rt.namespaced && obj.metadata.namespace && obj.metadata.namespace !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function listBody(route: ResourceRoute, items: KubeObject[], resourceVersion: string) {
  return {
    kind: `${route.rt.kind}List`,
    apiVersion: groupVersion(route.rt.group, route.version),
    metadata: { resourceVersion },
    items: items.map((obj) => asServed(obj, route)),
  };
}

export function list(ctx: RequestContext): void {
  const { store, route } = ctx;
  const filter = parseFilter(ctx.query);
  const resourceVersion = store.resourceVersion;
  const items = store.list(route.rt, route.namespace).filter((obj) => matchesFilter(filter, obj));
  const table = wantsTable(ctx.req);
  sendJson(
    ctx.res,
    200,
    table ? toTable(route.rt, items, resourceVersion) : listBody(route, items, resourceVersion),
  );
}

export function get(ctx: RequestContext): void {
  const { store, route } = ctx;
  if (route.subresource === 'scale') {
    sendJson(ctx.res, 200, getScale(store, route));
    return;
  }
  const obj = asServed(store.mustGet(route.rt, route.namespace, route.name!), route);
  sendJson(
    ctx.res,
    200,
    wantsTable(ctx.req) ? toTable(route.rt, [obj], obj.metadata.resourceVersion ?? '') : obj,
  );
}

export async function create(ctx: RequestContext): Promise<void> {
  const { store, route } = ctx;
  if (
    route.rt.readOnly ||
    route.name !== undefined ||
    (route.rt.namespaced && route.namespace === undefined)
  ) {
    throw methodNotAllowed(route, 'POST');
  }
  const obj = await readObject(ctx);
  const opts = writeOptions(ctx.query);
  checkNamespace(obj, route);
  if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') {
    obj.metadata.name = `${obj.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  }
  requireNamespace(store, route.namespace);
  sendJson(ctx.res, 201, asServed(store.create(route.rt, route.namespace, obj, opts), route));
}

export async function replace(ctx: RequestContext): Promise<void> {
  const { store, route } = ctx;
  if (route.rt.readOnly || route.name === undefined) throw methodNotAllowed(route, 'PUT');
  const obj = await readObject(ctx);
  const opts = writeOptions(ctx.query);
  if (route.subresource === 'scale') return sendJson(ctx.res, 200, updateScale(store, route, obj, opts));
  checkNamespace(obj, route);
  const subresource = route.subresource === 'status' ? { subresource: 'status' as const } : {};
  sendJson(
    ctx.res,
    200,
    asServed(store.update(route.rt, route.namespace, route.name, obj, { ...opts, ...subresource }), route),
  );
}

export async function patch(ctx: RequestContext): Promise<void> {
  const { store, route } = ctx;
  if (route.rt.readOnly || route.name === undefined) throw methodNotAllowed(route, 'PATCH');
  const type = mediaType(ctx.req);
  const body = await readBody(ctx.req);
  const opts = writeOptions(ctx.query);
  if (route.subresource === 'scale') {
    // Scale is a built-in kind wherever it is served, so every patch type applies to it.
    const scaleRoute = { ...route, rt: { ...route.rt, builtin: true } };
    const patched = applyPatch(scaleRoute.rt, type, getScale(store, route) as unknown as Json, body);
    return sendJson(ctx.res, 200, updateScale(store, route, patched as unknown as KubeObject, opts));
  }
  const current = asServed(store.mustGet(route.rt, route.namespace, route.name), route);
  const patched = applyPatch(route.rt, type, current as unknown as Json, body);
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched))
    throw badRequest('the patched object is not an object');
  const obj = patched as unknown as KubeObject;
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = { name: route.name };
  checkNamespace(obj, route);
  const subresource = route.subresource === 'status' ? { subresource: 'status' as const } : {};
  sendJson(
    ctx.res,
    200,
    asServed(store.update(route.rt, route.namespace, route.name, obj, { ...opts, ...subresource }), route),
  );
}

/** DeleteOptions preconditions, which `kubectl delete` and controllers may send. */
async function checkPreconditions(ctx: RequestContext, current: KubeObject): Promise<void> {
  const text = await readBody(ctx.req);
  if (text.trim() === '') return;
  const options = parseBody(text, 'application/json') as {
    preconditions?: { resourceVersion?: string; uid?: string };
  } | null;
  const pre = options?.preconditions;
  if (!pre) return;
  const { rt } = ctx.route;
  if (
    (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) ||
    (pre.uid && pre.uid !== current.metadata.uid)
  ) {
    throw conflict(rt.plural, rt.group, current.metadata.name);
  }
}

export async function remove(ctx: RequestContext): Promise<void> {
  const { store, route } = ctx;
  if (route.rt.readOnly || route.subresource) throw methodNotAllowed(route, 'DELETE');
  const opts = writeOptions(ctx.query);
  if (route.name === undefined) return deleteCollection(ctx, opts);
  const current = store.mustGet(route.rt, route.namespace, route.name);
  await checkPreconditions(ctx, current);
  const deleted = store.delete(route.rt, route.namespace, route.name, opts);
  if (route.rt === namespaceType && !opts.dryRun) deleteNamespaceContents(store, route.name);
  sendJson(ctx.res, 200, asServed(deleted, route));
}

function deleteCollection(ctx: RequestContext, opts: WriteOptions): void {
  const { store, route } = ctx;
  if (route.rt.namespaced && route.namespace === undefined) throw methodNotAllowed(route, 'DELETE');
  const filter = parseFilter(ctx.query);
  const deleted = store
    .list(route.rt, route.namespace)
    .filter((obj) => matchesFilter(filter, obj))
    .map((obj) => store.delete(route.rt, obj.metadata.namespace, obj.metadata.name, opts));
  if (route.rt === namespaceType && !opts.dryRun)
    for (const ns of deleted) deleteNamespaceContents(store, ns.metadata.name);
  sendJson(ctx.res, 200, listBody(route, deleted, store.resourceVersion));
}

/** A deleted namespace takes its objects with it (at once: the sandbox has no finalizers to wait for). */
function deleteNamespaceContents(store: ObjectStore, namespace: string): void {
  for (const rt of resourceTypes as readonly ResourceType[]) {
    if (!rt.namespaced) continue;
    for (const obj of store.list(rt, namespace)) store.delete(rt, namespace, obj.metadata.name);
  }
}
