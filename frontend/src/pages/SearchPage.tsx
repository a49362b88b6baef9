import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";
import { keys } from "../api/keys";
import { searchAll } from "../api/search";
import type { SearchItem } from "../api/search";
import { Field } from "../components/Field";
import { TYPE_NAMES } from "../lib/recordTypes";
import { matchParts, resultLink } from "../lib/search";
import { FormError } from "../components/FormError";

const PER_PAGE = 50;
const SHOW = [
  ["all", "Zones and records"],
  ["zone", "Zones"],
  ["record", "Records"],
] as const;

/** ``text`` with the part matching the search term marked. */
function Marked({ text, query }: { text: string; query: string }) {
  return (
    <>
      {matchParts(text, query).map((part, i) =>
        part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

/** Results of the header's search box, grouped into zones and records, a page at a time. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const show = SHOW.find(([key]) => key === params.get("show"))?.[0] ?? "all";
  const recordType = params.get("type") ?? "";
  const query = {
    q,
    page,
    per_page: PER_PAGE,
    object_type: show,
    record_type: recordType || undefined,
  };
  const results = useQuery({
    queryKey: [...keys.search, query],
    queryFn: () => searchAll(query),
    enabled: q !== "",
    placeholderData: keepPreviousData,
  });

  function update(changes: Record<string, string | number | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "" || (key === "page" && value === 1)) next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next, { replace: true });
  }

  const data = results.data;
  const items = data?.items ?? [];
  const zones = items.filter((i) => i.object_type === "zone");
  const records = items.filter((i) => i.object_type === "record");
  const from = (page - 1) * PER_PAGE + 1;
  const to = from + items.length - 1;
  const total =
    data?.total != null ? data.total.toLocaleString("en") : `more than ${to.toLocaleString("en")}`;

  return (
    <section className="search-page">
      <h1>Search</h1>
      {q === "" ? (
        <p className="muted">
          Type a name, an address or other content in the search box above (press <kbd>/</kbd> to
          get there). Plain words match anywhere; <code>*</code> and <code>?</code> are wildcards
          matched against the whole name or content.
        </p>
      ) : (
        <p>
          Results for <strong className="search-term">{q}</strong> in the zones you can read.
        </p>
      )}
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <Field label="Show">
          <select value={show} onChange={(e) => update({ show: e.target.value, page: 1 })}>
            {SHOW.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Record type">
          <select value={recordType} onChange={(e) => update({ type: e.target.value, page: 1 })}>
            <option value="">Any type</option>
            {TYPE_NAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
      </form>
      <FormError message={results.error?.message} />
      {q !== "" && data && items.length === 0 && (
        <p className="empty" data-testid="search-empty">
          Nothing matches “{q}”{page > 1 ? " on this page" : ""}.
        </p>
      )}
      {zones.length > 0 && (
        <>
          <h2 className="section-title">Zones</h2>
          <ul className="search-zones">
            {zones.map((item) => (
              <li key={item.zone}>
                <Link to={resultLink(item)}>
                  <Marked text={item.name} query={q} />
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {records.length > 0 && (
        <>
          <h2 className="section-title">Records</h2>
          <div className="table-wrap">
            <table className="table records-table search-records" aria-busy={results.isFetching}>
              <caption className="sr-only">Records matching {q}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Content</th>
                  <th scope="col" className="hide-narrow">
                    Zone
                  </th>
                </tr>
              </thead>
              <tbody>
                {records.map((item: SearchItem) => (
                  <tr
                    key={`${item.zone}|${item.name}|${item.type}|${item.content}`}
                    className={item.disabled ? "row-disabled" : undefined}
                  >
                    <td className="cell-name">
                      <Link to={resultLink(item)}>
                        <Marked text={item.name} query={q} />
                      </Link>
                    </td>
                    <td>
                      <span className="type-tag">{item.type}</span>
                    </td>
                    <td className="cell-content">
                      <Marked text={item.content ?? ""} query={q} />
                    </td>
                    <td className="cell-name hide-narrow">{item.zone}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {data && items.length > 0 && (
        <nav className="pagination" aria-label="Search result pages">
          <button type="button" onClick={() => update({ page: page - 1 })} disabled={page <= 1}>
            Previous
          </button>
          <span className="pagination-info" aria-live="polite">
            {from.toLocaleString("en")}–{to.toLocaleString("en")} of {total} · page {page}
          </span>
          <button
            type="button"
            onClick={() => update({ page: page + 1 })}
            disabled={!data.has_more}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
