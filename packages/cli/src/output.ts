import type { Writable } from 'node:stream';

export type OutputFormat = 'table' | 'json';

/** Where a command writes: its result to stdout, progress and errors to stderr. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  /** stderr is a terminal: progress redraws one line instead of printing one per change. */
  interactive: boolean;
  format: OutputFormat;
}

export interface Column<T> {
  label: string;
  value: (row: T) => string | number | null | undefined;
}

/**
 * Aligned columns without borders, like kubectl's tables, so `grep` and `awk` work on them.
 * Hand-written because it is a dozen lines and the table libraries draw boxes.
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row) ?? '-')));
  const widths = columns.map((c, i) => Math.max(c.label.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd();
  return [line(columns.map((c) => c.label.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

/** `key: value` lines with the keys aligned. */
export function fields(entries: readonly [string, string | number | null | undefined][]): string {
  const width = Math.max(...entries.map(([k]) => k.length)) + 1;
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v ?? '-'}`).join('\n') + '\n';
}

/** Print a command's result: JSON as is, or the human rendering. */
export function emit(io: Io, json: unknown, human: () => string): void {
  io.stdout.write(io.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : human());
}
