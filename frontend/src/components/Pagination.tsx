interface Props {
  page: number;
  perPage: number;
  total: number;
  onPage: (page: number) => void;
  label: string;
}

const n = (value: number) => value.toLocaleString("en");

/** Previous / next with "x–y of total"; the page itself is fetched by the server. */
export function Pagination({ page, perPage, total, onPage, label }: Props) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  return (
    <nav className="pagination" aria-label={`${label} pages`}>
      <button type="button" onClick={() => onPage(1)} disabled={page <= 1} aria-label="First page">
        «
      </button>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </button>
      <span className="pagination-info" aria-live="polite">
        {n(from)}–{n(to)} of {n(total)} · page {n(page)} of {n(pages)}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        Next
      </button>
      <button
        type="button"
        onClick={() => onPage(pages)}
        disabled={page >= pages}
        aria-label="Last page"
      >
        »
      </button>
    </nav>
  );
}
