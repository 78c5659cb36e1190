import { type ResourceType, findResource } from './resources.ts';
import { StatusError, badRequest } from './status.ts';

/** A request for a resource: `/api[s]/<gv>/[namespaces/<ns>/]<plural>[/<name>[/<subresource>]]`. */
export interface ResourceRoute {
  rt: ResourceType;
  group: string;
  /** The version the client asked for; objects are served with this apiVersion. */
  version: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: 'status' | 'scale' | undefined;
}

export const pathNotFound = () =>
  new StatusError(404, 'NotFound', 'the server could not find the requested resource');

/**
 * Split a resource path, or undefined when the path is not a resource path at all (discovery
 * and other endpoints are matched before this). Unknown resources are 404, as on a real server.
 */
export function parseResourcePath(path: string): ResourceRoute | undefined {
  const segs = path.split('/');
  // segs[0] is '' for the leading slash.
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segs[1] === 'api') {
    group = '';
    version = segs[2];
    rest = segs.slice(3);
  } else if (segs[1] === 'apis') {
    group = segs[2] ?? '';
    version = segs[3];
    rest = segs.slice(4);
  } else {
    return undefined;
  }
  if (!version || rest.length === 0 || rest[0] === '') return undefined;
  if (rest[rest.length - 1] === '') rest.pop();

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = decode(rest[1]!);
    rest = rest.slice(2);
  }
  if (rest.length > 3) throw pathNotFound();
  const [plural, rawName, sub] = rest as [string, string | undefined, string | undefined];
  const rt = findResource(group, version, plural);
  if (!rt) throw pathNotFound();
  if (namespace !== undefined && !rt.namespaced) throw pathNotFound();
  const name = rawName === undefined ? undefined : decode(rawName);
  // A namespaced object is only addressable inside its namespace.
  if (rt.namespaced && namespace === undefined && name !== undefined) throw pathNotFound();
  if (sub !== undefined && !(rt.subresources as readonly string[] | undefined)?.includes(sub))
    throw pathNotFound();
  return { rt, group, version, namespace, name, subresource: sub as ResourceRoute['subresource'] };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed path segment "${segment}"`);
  }
}
