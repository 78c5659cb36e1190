import { MetricProfile, type MetricProfileInput, type TargetProfile } from '@aviary/contracts';
import { DomainError, type ProfileStore } from '@aviary/core';

/** The annotation on a target's router object that carries its profile (GitOps-friendly). */
export const profileAnnotation = 'aviary.dev/profile';

export interface ProfileDeps {
  store: ProfileStore;
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
