/**
 * The demo image catalogue: an image's tag decides how its pods behave, so a release manager
 * can "ship" a bad build by naming it. Pure; `app.ts` samples from it. Documented for users in
 * packages/sandbox/IMAGES.md — keep the two in step.
 *
 * | tag ends with | 5xx share | latency                                   | checkout conversion |
 * |---------------|-----------|-------------------------------------------|---------------------|
 * | (anything)    | 0.2 %     | log-normal, median 30 ms, p99 ≈ 70 ms     | 60 %                |
 * | `-errors`     | 8 %       | as stable                                 | 60 %                |
 * | `-flaky`      | 1.5 %     | as stable                                 | 60 %                |
 * | `-slow`       | 0.2 %     | 15 % of requests +250 ms (p95/p99 move)   | 60 %                |
 * | `-lowconv`    | 0.2 %     | as stable                                 | 42 % (×0.7)         |
 */

export type Profile = 'stable' | 'errors' | 'flaky' | 'slow' | 'lowconv';

export interface LatencyModel {
  /** Median of the log-normal body, in ms. */
  medianMs: number;
  /** Log-space standard deviation: 0.35 gives p95 ≈ 1.8 × median, a modest tail. */
  sigma: number;
  /** Share of requests that also pay `slowExtraMs` (moves p95/p99, barely the median). */
  slowShare: number;
  slowExtraMs: number;
}

export interface Behaviour {
  profile: Profile;
  /** Probability that a request is answered with a 5xx. */
  errorRate: number;
  latency: LatencyModel;
  /** Probability that a started checkout completes. */
  conversionRate: number;
}

export interface ImageRef {
  /** Everything before the tag, e.g. `registry.local/shop/checkout`. */
  repository: string;
  /** Last path segment of the repository, e.g. `checkout`. */
  service: string;
  /** The tag, `latest` when none is given. */
  tag: string;
}

const baseLatency: LatencyModel = { medianMs: 30, sigma: 0.35, slowShare: 0, slowExtraMs: 0 };
const stable: Behaviour = { profile: 'stable', errorRate: 0.002, latency: baseLatency, conversionRate: 0.6 };

export const profiles: Readonly<Record<Profile, Behaviour>> = {
  stable,
  errors: { ...stable, profile: 'errors', errorRate: 0.08 },
  flaky: { ...stable, profile: 'flaky', errorRate: 0.015 },
  slow: { ...stable, profile: 'slow', latency: { ...baseLatency, slowShare: 0.15, slowExtraMs: 250 } },
  lowconv: { ...stable, profile: 'lowconv', conversionRate: stable.conversionRate * 0.7 },
};

const suffixes: readonly [string, Profile][] = [
  ['-errors', 'errors'],
  ['-flaky', 'flaky'],
  ['-slow', 'slow'],
  ['-lowconv', 'lowconv'],
];

/** Splits `host:port/path/name:tag@digest`; the port of a registry is not mistaken for a tag. */
export function parseImage(image: string): ImageRef {
  const withoutDigest = image.split('@')[0] ?? image;
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const repository = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : 'latest';
  const service = repository.slice(repository.lastIndexOf('/') + 1);
  return { repository, service, tag };
}

export function profileOf(tag: string): Profile {
  return suffixes.find(([suffix]) => tag.endsWith(suffix))?.[1] ?? 'stable';
}

export function behaviourOf(image: string): Behaviour & ImageRef {
  const ref = parseImage(image);
  return { ...profiles[profileOf(ref.tag)], ...ref };
}

/** One request's simulated service time in ms. `random` returns uniform [0, 1). */
export function sampleLatencyMs(latency: LatencyModel, random: () => number = Math.random): number {
  // Box–Muller: two uniforms give one standard normal; 1 - u keeps log() away from 0.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const body = latency.medianMs * Math.exp(latency.sigma * normal);
  return random() < latency.slowShare ? body + latency.slowExtraMs : body;
}

/** mulberry32: a seeded uniform [0, 1) source, for tests and reproducible demos. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
