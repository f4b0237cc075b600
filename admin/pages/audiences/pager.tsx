/** The items of page `page` (0-based). */
export const pageOf = <T,>(items: readonly T[], page: number, size: number): T[] =>
  items.slice(page * size, (page + 1) * size);

/** Previous/next page buttons with "x–y of n" (nothing when everything fits on one page). */
export function Pager(props: {
  label: string;
  page: number;
  total: number;
  size: number;
  onPage: (page: number) => void;
}) {
  const { page, total, size, onPage } = props;
  if (total <= size && page === 0) return null;
  const last = Math.max(0, Math.ceil(total / size) - 1);
  return (
    <nav aria-label={props.label} class="row" style={{ marginTop: "0.75rem", alignItems: "center" }}>
      <button type="button" class="secondary" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span class="muted" style={{ flex: "0 0 auto" }}>
        {total === 0 ? "0" : `${page * size + 1}–${Math.min(total, (page + 1) * size)}`} of {total}
      </span>
      <button type="button" class="secondary" disabled={page >= last} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
