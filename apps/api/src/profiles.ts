import { MetricProfile, type MetricProfileInput, type TargetProfile } from '@aviary/contracts';
import { DomainError, type NewAuditRecord, type ProfileStore } from '@aviary/core';

/** The annotation on a target's router object that carries its profile (GitOps-friendly). */
export const profileAnnotation = 'aviary.dev/profile';

export interface ProfileDeps {
  store: ProfileStore;
  /** The annotation as last seen, kept across restarts (see `observeAnnotation`). */
  annotations?: {
    lastAnnotation(namespace: string, service: string): string | null | undefined;
    rememberAnnotation(namespace: string, service: string, value: string | null, at: string): void;
  };
  /** Append to the audit trail (drift of the annotation, as actor `aviary`). */
  audit?: (record: NewAuditRecord) => void;
  annotationsOf: (namespace: string, service: string) => Promise<Record<string, string>>;
  /** Resolves when Prometheus accepts every query of the profile; throws a DomainError otherwise. */
  validate: (profile: MetricProfile, namespace: string, service: string) => Promise<void>;
  log: { warn(obj: unknown, msg: string): void };
}

/**
 * A target's metric profile: the one saved through the API, else the one in the router
 * object's `aviary.dev/profile` annotation, else Aviary's defaults.
 */
export class Profiles {
  constructor(private readonly deps: ProfileDeps) {}

  async get(namespace: string, service: string): Promise<TargetProfile> {
    const stored = this.deps.store.get(namespace, service);
    if (stored) return stored;
    const base = { namespace, service, updatedAt: null, updatedBy: null };
    const raw = (
      await this.deps.annotationsOf(namespace, service).catch(() => ({}) as Record<string, string>)
    )[profileAnnotation];
    if (raw) {
      const parsed = parseJson(raw);
      const profile = MetricProfile.safeParse(parsed);
      if (profile.success) return { ...base, profile: profile.data, source: 'annotation' };
      this.deps.log.warn(
        { namespace, service, issues: profile.error.issues },
        `ignoring an invalid ${profileAnnotation} annotation`,
      );
    }
    return { ...base, profile: MetricProfile.parse({}), source: 'default' };
  }

  /**
   * The router object of a target was seen (watch or start). A change of its profile annotation
   * since Aviary last saw it was made outside Aviary, by whoever may edit the object, with no
   * role: recorded in the audit as drift, saying whether it is in effect (no profile saved
   * through the API) or ignored.
   */
  async observeAnnotation(namespace: string, service: string, now = new Date()): Promise<void> {
    const { annotations: seen, audit } = this.deps;
    if (!seen || !audit) return;
    const all = await this.deps.annotationsOf(namespace, service).catch(() => undefined);
    if (!all) return;
    const value = all[profileAnnotation] ?? null;
    const before = seen.lastAnnotation(namespace, service);
    if (before === value || (before === undefined && value === null)) return;
    const saved = this.deps.store.get(namespace, service);
    const parsed = (text: string | null | undefined) => {
      if (text == null) return null;
      const profile = MetricProfile.safeParse(parseJson(text));
      return profile.success ? { profile: profile.data } : { invalid: text.slice(0, 2000) };
    };
    audit({
      at: now.toISOString(),
      actor: 'aviary',
      role: null,
      sourceAddress: null,
      action: 'profile-drift',
      subject: `target/${namespace}/${service}`,
      before: before === undefined ? null : { annotation: parsed(before) },
      after: { annotation: parsed(value), inEffect: !saved && value !== null },
      reason: `the ${profileAnnotation} annotation of ${namespace}/${service} changed outside Aviary; ${
        saved
          ? 'ignored: the profile saved through the API is in effect'
          : 'in effect: no profile is saved through the API'
      }`,
    });
    seen.rememberAnnotation(namespace, service, value, now.toISOString());
  }

  /** Validate against Prometheus, then save; nothing is saved if any query is refused. */
  async put(
    namespace: string,
    service: string,
    input: MetricProfileInput,
    actor: string,
  ): Promise<TargetProfile> {
    const profile = MetricProfile.parse(input);
    await this.deps.validate(profile, namespace, service);
    return this.deps.store.put({
      namespace,
      service,
      profile,
      source: 'api',
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function invalidQuery(metric: string, part: string, message: string): DomainError {
  return new DomainError(
    'invalid-profile',
    `business metric "${metric}" ${part}: Prometheus refused the query: ${message}`,
    {
      field: `business.${metric}.${part}`,
    },
  );
}
