/**
 * Seeded randomness for simulations: the same seed gives the same run on every machine, so a bench
 * result can be reproduced and a regression bisected.
 */

/** sfc32 seeded through splitmix32: fast, 128-bit state, passes PractRand far past what we draw. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** Largest n drawn in one go: q^n must not underflow in the inversion below. */
const CHUNK = 500;

/**
 * A Binomial(n, p) draw by inversion (walking the CDF from 0), exact and O(n·p) per draw: cheap for
 * the per-tick counts of a simulation, where n·p is a handful.
 */
export function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  if (n > CHUNK) return binomial(random, CHUNK, p) + binomial(random, n - CHUNK, p);
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  let r = q ** n;
  let u = random();
  let x = 0;
  while (u > r && x < n) {
    u -= r;
    x++;
    r *= a / x - s;
  }
  return x;
}
