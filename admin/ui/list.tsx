/**
 * A filterable, paginated list (a table): the filter box narrows the rows,
 * the pager walks them `pageSize` at a time. Works for a list already
 * loaded (`rows`); the API's own paging can feed it page by page too.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";

/** One column: its heading and how a row shows in it. */
export interface Column<T> {
  title: string;
  cell: (row: T) => ComponentChildren;
}

/** Props of {@link DataList}. */
export interface DataListProps<T> {
  /** Accessible name of the table (and the filter box's label). */
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  /** Stable key of a row. */
  rowKey: (row: T) => string;
  /** The text a row is filtered on (case-insensitive substring match). */
  text: (row: T) => string;
  pageSize?: number;
  /** Shown when there are no rows at all. */
  empty?: ComponentChildren;
}

/** Rows of `rows` whose `text` contains `query` (every word of it, case-insensitive). */
export function filterRows<T>(rows: readonly T[], text: (row: T) => string, query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...rows];
  return rows.filter((r) => {
    const t = text(r).toLowerCase();
    return words.every((w) => t.includes(w));
  });
}

/** The filterable, paginated table. */
export function DataList<T>({ label, rows, columns, rowKey, text, pageSize = 25, empty }: DataListProps<T>) {
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  const shown = useMemo(() => filterRows(rows, text, query), [rows, query]);
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  useEffect(() => setPage((p) => Math.min(p, pages - 1)), [pages]);
  const slice = shown.slice(page * pageSize, page * pageSize + pageSize);
  const id = `filter-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  if (!rows.length) return <p class="muted">{empty ?? "Nothing here yet."}</p>;
  return (
    <div class="datalist">
      <div class="datalist-tools">
        <label for={id}>Filter {label.toLowerCase()}</label>
        <input
          id={id}
          type="search"
          value={query}
          onInput={(e) => {
            setQuery((e.target as HTMLInputElement).value);
            setPage(0);
          }}
        />
        <span class="muted" role="status">
          {shown.length === rows.length ? `${rows.length} in all` : `${shown.length} of ${rows.length} match`}
        </span>
      </div>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.title} scope="col">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {slice.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.title}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p class="muted">Nothing matches “{query}”.</p>}
      {pages > 1 && (
        <nav class="pager" aria-label={`${label} pages`}>
          <button type="button" class="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page + 1} of {pages}
          </span>
          <button type="button" class="secondary" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
