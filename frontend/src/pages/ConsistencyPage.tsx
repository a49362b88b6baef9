import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { drainQueue, readBreakers, readQueue } from "../api/sync";
import { PolicyPicker } from "../components/PolicyPicker";
import { QueueTable } from "../components/QueueTable";
import { SettingsTabs } from "../components/SettingsTabs";
import { useChange } from "../hooks/useChange";
import { HEALTH_POLL_MS } from "../hooks/queries";
import { formatTime } from "../lib/time";

export function ConsistencyPage() {
  const breakers = useQuery({
    queryKey: [...keys.sync, "servers"],
    queryFn: readBreakers,
    refetchInterval: HEALTH_POLL_MS,
  });
  const queue = useQuery({
    queryKey: [...keys.sync, "queue", {}],
    queryFn: () => readQueue(),
    refetchInterval: HEALTH_POLL_MS,
  });
  const drain = useChange<void>({
    run: async () => {
      const report = await drainQueue();
      const unavailable = Object.entries(report.unavailable).map(([s, e]) => `${s}: ${e}`);
      return {
        kind:
          unavailable.length > 0 || report.parked > 0 || report.failed > 0 ? "partial" : "success",
        title:
          `Replay queue: ${report.replayed} replayed, ${report.parked} parked` +
          (report.failed > 0 ? `, ${report.failed} failed (retried later)` : ""),
        status: 200,
        succeeded: [],
        failures: unavailable,
      };
    },
    title: () => "Replay queue",
    invalidate: [keys.sync],
  });

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Consistency between servers</h2>
      <PolicyPicker />

      <h3 className="section-title">Servers</h3>
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Circuit breakers and queue depth</caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Breaker</th>
              <th scope="col">Queued</th>
              <th scope="col" className="hide-narrow">
                Last error
              </th>
            </tr>
          </thead>
          <tbody>
            {breakers.data?.map((b) => (
              <tr key={b.id}>
                <td className="cell-name">{b.name}</td>
                <td>
                  <span className={`badge ${b.state === "closed" ? "badge-ok" : "badge-bad"}`}>
                    {b.state === "closed" ? "● closed (healthy)" : `● ${b.state}`}
                  </span>
                  {b.retry_at && <span className="muted"> retry {formatTime(b.retry_at)}</span>}
                </td>
                <td>
                  {b.pending} pending{b.parked > 0 ? `, ${b.parked} parked` : ""}
                </td>
                <td className="hide-narrow cell-name">{b.last_error ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="page-head">
        <h3 className="section-title">
          Retry queue{" "}
          {queue.data && (
            <span className="muted">
              ({queue.data.pending} pending, {queue.data.parked} parked)
            </span>
          )}
        </h3>
        <button
          type="button"
          className="button-secondary"
          onClick={() => drain.mutate()}
          disabled={drain.isPending}
        >
          {drain.isPending ? "Replaying…" : "Replay now"}
        </button>
      </div>
      <QueueTable servers={breakers.data ?? []} />
    </section>
  );
}
