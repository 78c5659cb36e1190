import type Database from 'better-sqlite3';
import { type Column, Param, Placeholder, type Query, type Table, getTableColumns, is } from 'drizzle-orm';

type Bind = { name: string; encode?: (value: unknown) => unknown } | { value: unknown };

/**
 * A query built with drizzle and run by better-sqlite3 directly, for the few statements on the
 * path of every action (a rollback's above all). drizzle writes the SQL once; each call then
 * only binds the named values and decodes the row by the table's columns, without drizzle's
 * per-call walk over its query objects — which costs several times the query itself when the
 * code is not hot, as on an API that acts a few times an hour.
 *
 * Values bind as drizzle would bind them: through the column's encoder where the placeholder
 * stands for a column (`eq(col, placeholder)`), as given where it is bare SQL (`sql\`${p}\``).
 * Rows come back exactly as drizzle's `select()`/`returning()` gives them for `table`.
 */
export class Statement<Row> {
  private readonly stmt: Database.Statement;
  private readonly binds: Bind[];
  private readonly columns: [key: string, column: Column][];

  constructor(sqlite: Database.Database, query: { toSQL(): Query }, table?: Table) {
    const { sql, params } = query.toSQL();
    this.stmt = sqlite.prepare(sql);
    this.binds = params.map((p): Bind => {
      if (is(p, Placeholder)) return { name: p.name };
      if (is(p, Param) && is(p.value, Placeholder)) {
        const encoder = p.encoder as { mapToDriverValue(v: unknown): unknown } | undefined;
        return { name: p.value.name, encode: encoder ? (v) => encoder.mapToDriverValue(v) : undefined };
      }
      return { value: p };
    });
    this.columns = table ? Object.entries(getTableColumns(table)) : [];
    // Columns in drizzle's order, so rows come back as arrays and are decoded by position.
    if (this.stmt.reader && table) this.stmt.raw(true);
  }

  get(values: Record<string, unknown> = {}): Row | undefined {
    const row = this.stmt.get(...this.bind(values)) as unknown[] | undefined;
    return row === undefined ? undefined : this.decode(row);
  }

  all(values: Record<string, unknown> = {}): Row[] {
    return (this.stmt.all(...this.bind(values)) as unknown[][]).map((row) => this.decode(row));
  }

  run(values: Record<string, unknown> = {}): Database.RunResult {
    return this.stmt.run(...this.bind(values));
  }

  private bind(values: Record<string, unknown>): unknown[] {
    return this.binds.map((b) => {
      if ('value' in b) return b.value;
      if (!(b.name in values)) throw new Error(`no value for placeholder "${b.name}"`);
      const v = values[b.name];
      return b.encode && v !== null && v !== undefined ? b.encode(v) : v;
    });
  }

  private decode(row: unknown[]): Row {
    if (this.columns.length === 0) return row as Row;
    const out: Record<string, unknown> = {};
    this.columns.forEach(([key, column], i) => {
      const v = row[i];
      out[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
    });
    return out as Row;
  }
}
