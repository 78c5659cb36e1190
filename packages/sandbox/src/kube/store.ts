import { randomUUID } from 'node:crypto';
import { type ResourceType, groupVersion, preferredVersion, resourceKey } from './resources.ts';
import { StatusError, alreadyExists, conflict, invalid, notFound } from './status.ts';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [key: string]: unknown;
}

/** Objects are plain JSON, exactly as they travel on the wire. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // biome-ignore lint/suspicious/noExplicitAny: the schema differs per kind; validate.ts checks shapes.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  status?: any;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  rt: ResourceType;
  object: KubeObject;
  /** The store revision this event produced (equals object.metadata.resourceVersion). */
  revision: number;
}

/** Defaulting and validation per kind, run before anything is stored. Throws `StatusError` (422). */
export type Admit = (rt: ResourceType, obj: KubeObject, old: KubeObject | undefined) => void;

export interface WriteOptions {
  /** Write the status subresource: only `status` changes, and generation never moves. */
  subresource?: 'status';
  /** Skip admission (controllers writing status they own). */
  trusted?: boolean;
  /** Run every check and return what would be stored, without storing it (`dryRun=All`). */
  dryRun?: boolean;
}

const HISTORY_LIMIT = 20_000;

const clone = <T>(v: T): T => structuredClone(v);

function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

/**
 * The sandbox's etcd: every object of every kind, one global revision counter (the
 * resourceVersion), optimistic concurrency, and an event history that watches resume from.
 * All reads and writes hand out copies, so no caller can change stored state by accident.
 */
export class ObjectStore {
  private revision = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(private readonly admit: Admit = () => {}) {}

  get resourceVersion(): string {
    return String(this.revision);
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.bucket(rt).get(objectKey(rt, namespace, name));
    return obj && clone(obj);
  }

  /** Like `get`, but a missing object is a 404 `StatusError`. */
  mustGet(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(rt, namespace, name);
    if (!obj) throw notFound(rt.plural, rt.group, name);
    return obj;
  }

  /** Objects of one kind, in one namespace or all, sorted by namespace then name (as Kubernetes lists). */
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.bucket(rt).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(clone(obj));
    }
    return out.sort(
      (a, b) =>
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  create(
    rt: ResourceType,
    namespace: string | undefined,
    input: KubeObject,
    opts: WriteOptions = {},
  ): KubeObject {
    const obj = clone(input);
    const name = obj.metadata?.name;
    if (!name)
      throw invalid(rt.kind, rt.group, '', [
        { field: 'metadata.name', message: 'Required value: name is required' },
      ]);
    if (rt.namespaced && namespace && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw new StatusError(
        400,
        'BadRequest',
        `the namespace of the provided object does not match the namespace sent on the request`,
      );
    }
    const key = objectKey(rt, namespace, name);
    if (this.bucket(rt).has(key)) throw alreadyExists(rt.plural, rt.group, name);
    obj.apiVersion = groupVersion(rt.group, preferredVersion(rt));
    obj.kind = rt.kind;
    obj.metadata = {
      ...obj.metadata,
      ...(rt.namespaced ? { namespace } : {}),
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    if (!rt.namespaced) delete obj.metadata.namespace;
    if (obj.spec !== undefined || rt.subresources?.includes('status')) obj.metadata.generation = 1;
    if (!opts.trusted) this.admit(rt, obj, undefined);
    if (opts.dryRun) return obj;
    return this.commit('ADDED', rt, key, obj);
  }

  /**
   * Replace an object. A `metadata.resourceVersion` in the input must match the stored one
   * (optimistic concurrency); an empty one means "unconditional", as in Kubernetes.
   */
  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    input: KubeObject,
    opts: WriteOptions = {},
  ): KubeObject {
    const key = objectKey(rt, namespace, name);
    const old = this.bucket(rt).get(key);
    if (!old) throw notFound(rt.plural, rt.group, name);
    if (input.metadata?.name && input.metadata.name !== name) {
      throw new StatusError(
        400,
        'BadRequest',
        `the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const sent = input.metadata?.resourceVersion;
    if (sent && sent !== old.metadata.resourceVersion) throw conflict(rt.plural, rt.group, name);

    let obj: KubeObject;
    if (opts.subresource === 'status') {
      obj = clone(old);
      obj.status = clone(input.status);
    } else {
      obj = clone(input);
      obj.apiVersion = old.apiVersion;
      obj.kind = old.kind;
      // Immutable metadata stays as stored, whatever the client sent.
      obj.metadata = {
        ...obj.metadata,
        name,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        ...(rt.namespaced ? { namespace: old.metadata.namespace } : {}),
      };
      if (rt.subresources?.includes('status')) obj.status = clone(old.status);
      obj.metadata.generation = old.metadata.generation;
      // Admission first: defaulting may turn a spec that looks different into the stored one.
      if (!opts.trusted) this.admit(rt, obj, clone(old));
      const generation = old.metadata.generation;
      if (generation !== undefined)
        obj.metadata.generation = specOf(obj) === specOf(old) ? generation : generation + 1;
      else delete obj.metadata.generation;
    }
    if (opts.subresource === 'status' && !opts.trusted) this.admit(rt, obj, clone(old));
    if (sameIgnoringVersion(obj, old)) {
      // A no-op write does not bump the resourceVersion, as on a real API server.
      return clone(old);
    }
    if (opts.dryRun) return obj;
    return this.commit('MODIFIED', rt, key, obj);
  }

  delete(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: Pick<WriteOptions, 'dryRun'> = {},
  ): KubeObject {
    const key = objectKey(rt, namespace, name);
    const old = this.bucket(rt).get(key);
    if (!old) throw notFound(rt.plural, rt.group, name);
    if (opts.dryRun) return clone(old);
    this.bucket(rt).delete(key);
    const obj = clone(old);
    obj.metadata.resourceVersion = String(++this.revision);
    this.record({ type: 'DELETED', rt, object: obj, revision: this.revision });
    return clone(obj);
  }

  /**
   * Subscribe to every change. Events are delivered in order on the microtask queue, so a
   * listener may write to the store without re-entering the write that notified it.
   */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Events after `resourceVersion` still held in history. A version older than the history
   * window is 410 Gone: the client must list again, as with etcd compaction.
   */
  eventsSince(resourceVersion: string): StoreEvent[] {
    const since = Number(resourceVersion);
    if (!Number.isInteger(since) || since < 0) {
      throw new StatusError(400, 'BadRequest', `invalid resourceVersion "${resourceVersion}"`);
    }
    const oldest = this.history[0]?.revision;
    if (oldest !== undefined && since < oldest - 1) {
      throw new StatusError(410, 'Gone', `too old resource version: ${since} (${oldest - 1})`);
    }
    return this.history.filter((e) => e.revision > since).map((e) => ({ ...e, object: clone(e.object) }));
  }

  private commit(type: WatchEventType, rt: ResourceType, key: string, obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.revision);
    this.bucket(rt).set(key, obj);
    this.record({ type, rt, object: clone(obj), revision: this.revision });
    return clone(obj);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) {
      queueMicrotask(() => listener({ ...event, object: clone(event.object) }));
    }
  }

  private bucket(rt: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(rt);
    let bucket = this.objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }
}

function sameIgnoringVersion(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) =>
    JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return strip(a) === strip(b);
}

function objectKey(rt: ResourceType, namespace: string | undefined, name: string): string {
  return rt.namespaced ? `${namespace ?? ''}/${name}` : name;
}
