import { type ReactNode, useState } from 'react';

/** A column declared once: how to read a cell's value, how to draw it, whether it sorts. */
export interface Column<T> {
  id: string;
  label: string;
  getValue: (row: T) => string | number | null;
  render?: (row: T) => ReactNode;
  sort?: boolean;
}

interface Props<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  caption: string;
  empty: ReactNode;
  initialSort?: { id: string; desc: boolean };
}

export function DataTable<T>({ columns, rows, rowKey, caption, empty, initialSort }: Props<T>) {
  const [sort, setSort] = useState(initialSort ?? null);
  const column = sort ? columns.find((c) => c.id === sort.id) : undefined;
  const sorted = column
    ? [...rows].sort((a, b) => {
        const x = column.getValue(a) ?? '';
        const y = column.getValue(b) ?? '';
        const order = x < y ? -1 : x > y ? 1 : 0;
        return sort?.desc ? -order : order;
      })
    : rows;
  if (rows.length === 0) return <div className="status status-empty">{empty}</div>;
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th
              key={c.id}
              scope="col"
              aria-sort={sort?.id === c.id ? (sort.desc ? 'descending' : 'ascending') : undefined}
            >
              {c.sort ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setSort({ id: c.id, desc: sort?.id === c.id ? !sort.desc : false })}
                >
                  {c.label}
                  {sort?.id === c.id ? (sort.desc ? ' ▾' : ' ▴') : ''}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((c) => (
              <td key={c.id} data-column={c.id}>
                {c.render ? c.render(row) : (c.getValue(row) ?? '—')}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
