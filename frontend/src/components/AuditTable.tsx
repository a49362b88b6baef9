import type { AuditEvent } from "../api/audit";
import { formatTime } from "../lib/time";

const OUTCOME_CLASS: Record<string, string> = {
  success: "badge-ok",
  ok: "badge-ok",
  partial: "badge-warn",
  failure: "badge-bad",
  failed: "badge-bad",
  denied: "badge-bad",
};

function hasDetails(event: AuditEvent): boolean {
  return event.before != null || event.after != null || event.servers != null || !!event.detail;
}

/** Audit events, newest first; before/after and per-server results open on demand. */
export function AuditTable({
  events,
  compact = false,
}: {
  events: AuditEvent[];
  compact?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="table audit-table">
        <caption className="sr-only">Audit events</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{formatTime(event.created_at)}</td>
              <td className="cell-name">
                {event.user_email ?? "—"}
                <div className="muted">
                  via {event.via}
                  {!compact && event.client_ip ? ` · ${event.client_ip}` : ""}
                </div>
              </td>
              <td className="cell-name">
                <code>{event.action}</code> {event.zone ?? ""}
                {event.target && event.target !== event.zone && (
                  <div className="muted">{event.target}</div>
                )}
                {!compact && hasDetails(event) && (
                  <details>
                    <summary>Details</summary>
                    {event.detail && <p>{event.detail}</p>}
                    <pre className="audit-json">
                      {JSON.stringify(
                        { before: event.before, after: event.after, servers: event.servers },
                        null,
                        2,
                      )}
                    </pre>
                  </details>
                )}
              </td>
              <td>
                <span className={`badge ${OUTCOME_CLASS[event.outcome] ?? "badge-muted"}`}>
                  {event.outcome}
                </span>
                {(event.deliveries ?? []).map((d) => (
                  <div key={d.server} className="muted">
                    {d.how === "queue" ? "delivered to" : "resolved on"} {d.server}{" "}
                    {formatTime(d.delivered_at)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
          {events.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                No events.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
