/**
 * A Prometheus sample value from its JSON string. Prometheus writes infinities as `+Inf`/`-Inf`,
 * which `Number()` does NOT accept (it wants `Infinity`): parsed naively, +Inf would turn into
 * NaN and an infinite value would be mistaken for 0/0.
 */
export function parseSampleValue(raw: unknown): number | undefined {
  if (typeof raw !== 'string') return undefined;
  switch (raw) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  // Number('') and Number(' ') are 0: an empty value is malformed, not zero.
  if (raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isNaN(value) ? undefined : value;
}
