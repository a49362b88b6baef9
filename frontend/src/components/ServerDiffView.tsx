import type { ServerDiff } from "../api/sync";
import { diffRows, rrsetText } from "../lib/sync";
import { SyncStateBadge } from "./SyncStateBadge";

const KIND_LABEL = {
  missing: "missing here",
  extra: "only here",
  different: "different",
} as const;

/** How one server's copy of a zone differs from the reference: one row per RRset. */
export function ServerDiffView({ diff, reference }: { diff: ServerDiff; reference: string }) {
  const rows = diffRows(diff);
  const state = diff.status === "unreachable" ? "unknown" : diff.status;
  return (
    <section className="card server-diff" aria-label={`Differences on ${diff.server}`}>
      <div className="server-diff-head">
        <h3>{diff.server}</h3>
        <SyncStateBadge state={state} />
      </div>
      {diff.status === "in_sync" && <p className="muted">Same RRsets as {reference}.</p>}
      {diff.status === "missing" && (
        <p>This server does not have the zone; reconcile creates it there.</p>
      )}
      {diff.status === "unreachable" && (
        <p className="form-error" role="alert">
          Could not read the zone: {diff.error}
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table diff-table">
            <caption className="sr-only">
              RRsets on {diff.server} that differ from {reference}
            </caption>
            <thead>
              <tr>
                <th scope="col">RRset</th>
                <th scope="col">On {reference}</th>
                <th scope="col">On {diff.server}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.name}/${row.type}`} data-kind={row.kind}>
                  <td className="cell-name">
                    {row.name} <span className="type-tag">{row.type}</span>
                    <div className={`diff-kind diff-${row.kind}`}>{KIND_LABEL[row.kind]}</div>
                  </td>
                  <td className="cell-content">
                    {row.reference ? rrsetText(row.reference) : <span className="muted">—</span>}
                  </td>
                  <td className="cell-content">
                    {row.server ? rrsetText(row.server) : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
