import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { listDeliveries } from "../api/webhooks";
import { HEALTH_POLL_MS } from "../hooks/queries";
import { formatTime } from "../lib/time";

/** One endpoint's delivery log, newest first: status, attempts, its last answer. */
export function WebhookDeliveries({ id, name }: { id: number; name: string }) {
  const log = useQuery({
    queryKey: [...keys.webhooks, id, "deliveries"],
    queryFn: () => listDeliveries(id),
    refetchInterval: HEALTH_POLL_MS,
  });
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>Deliveries to {name}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Queued</th>
          </tr>
        </thead>
        <tbody>
          {log.data?.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.event}</code> #{d.id}
              </td>
              <td>
                <span
                  className={`badge ${
                    d.status === "delivered"
                      ? "badge-ok"
                      : d.status === "failed"
                        ? "badge-bad"
                        : "badge-warn"
                  }`}
                >
                  {d.status}
                </span>
                {d.status === "pending" && d.attempts > 0 && (
                  <div className="muted">next {formatTime(d.next_attempt_at)}</div>
                )}
              </td>
              <td>{d.attempts}</td>
              <td className="cell-name">
                {d.last_status_code != null ? `HTTP ${d.last_status_code}` : ""}
                {d.last_error && <div className="field-error">{d.last_error}</div>}
                {d.last_response && <div className="muted">{d.last_response}</div>}
              </td>
              <td>{formatTime(d.created_at)}</td>
            </tr>
          ))}
          {log.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                Nothing sent yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
