import { createHash } from 'node:crypto';
import { type ResourceType, groupVersion, resourceTypes } from './resources.ts';

/**
 * OpenAPI v3, just enough for `kubectl apply` with validation on: kubectl looks for a PATCH
 * operation tagged with the object's group/version/kind that takes a `fieldValidation`
 * parameter, and when it finds one it leaves validation to the server (`fieldValidation=Strict`).
 *
 * The PATCH request bodies deliberately omit `application/strategic-merge-patch+json`: kubectl
 * would then compute strategic patches from these (minimal) schemas, which carry no merge keys.
 * Without it, kubectl uses its compiled-in types for built-in kinds, which do.
 */

const gvPath = (group: string, version: string) =>
  group === '' ? `api/${version}` : `apis/${group}/${version}`;

function schemaName(rt: ResourceType, version: string): string {
  return `${rt.group === '' ? 'core' : rt.group}.${version}.${rt.kind}`;
}

const queryParam = (name: string, type = 'string') => ({
  name,
  in: 'query',
  schema: { type, uniqueItems: true },
});

const writeParams = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];

function kindSchema(rt: ResourceType, version: string) {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    type: 'object',
    description: `${rt.kind} as served by the Aviary sandbox (schema kept minimal).`,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: open,
      spec: open,
      status: open,
    },
    'x-kubernetes-group-version-kind': [{ group: rt.group, version, kind: rt.kind }],
  };
}

function operations(rt: ResourceType, version: string) {
  const gvk = { group: rt.group, version, kind: rt.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(rt, version)}` };
  const json = { 'application/json': { schema: ref } };
  const op = (action: string, extra: object = {}) => ({
    operationId: `${action}${rt.kind}`,
    responses: { '200': { description: 'OK', content: json } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ];
  const base = `/${gvPath(rt.group, version)}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.plural}`;
  const pathParams = [
    { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
    ...(rt.namespaced
      ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }]
      : []),
  ];
  const readOnly = rt.readOnly === true;
  const item: Record<string, unknown> = { get: op('get'), parameters: pathParams };
  if (!readOnly) {
    item.put = op('put', { parameters: writeParams, requestBody: { content: json, required: true } });
    item.delete = op('delete', { parameters: [queryParam('dryRun')] });
    item.patch = op('patch', {
      parameters: [...writeParams, queryParam('force', 'boolean')],
      requestBody: {
        content: Object.fromEntries(patchTypes.map((t) => [t, { schema: { type: 'object' } }])),
        required: true,
      },
    });
  }
  const collection: Record<string, unknown> = {
    get: op('list', { parameters: [queryParam('labelSelector'), queryParam('fieldSelector')] }),
  };
  if (!readOnly)
    collection.post = op('post', { parameters: writeParams, requestBody: { content: json, required: true } });
  return { [base]: collection, [`${base}/{name}`]: item };
}

export function openApiDocument(group: string, version: string): object | undefined {
  const rts = resourceTypes.filter((rt) => rt.group === group && rt.versions.includes(version));
  if (rts.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: Object.assign({}, ...rts.map((rt) => operations(rt, version))),
    components: {
      schemas: Object.fromEntries(rts.map((rt) => [schemaName(rt, version), kindSchema(rt, version)])),
    },
  };
}

/** The `/openapi/v3` index and every document, serialized once (they never change while running). */
export function openApiDocuments(): Map<string, string> {
  const docs = new Map<string, string>();
  const index: Record<string, { serverRelativeURL: string }> = {};
  const gvs = new Map<string, [string, string]>();
  for (const rt of resourceTypes)
    for (const v of rt.versions) gvs.set(groupVersion(rt.group, v), [rt.group, v]);
  for (const [group, version] of gvs.values()) {
    const text = JSON.stringify(openApiDocument(group, version));
    const hash = createHash('sha512').update(text).digest('hex').toUpperCase();
    const path = gvPath(group, version);
    index[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
    docs.set(`/openapi/v3/${path}`, text);
  }
  docs.set('/openapi/v3', JSON.stringify({ paths: index }));
  return docs;
}
