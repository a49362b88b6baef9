import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { drainQueue, dropEntry, readBreakers, readQueue, retryEntry } from "../api/sync";
import type { QueueEntry } from "../api/sync";
import { PolicyPicker } from "../components/PolicyPicker";
import { SettingsTabs } from "../components/SettingsTabs";
import { asOutcome, useChange } from "../hooks/useChange";
import { HEALTH_POLL_MS } from "../hooks/queries";
import { formatTime } from "../lib/time";
import { FormError } from "../components/FormError";

export function ConsistencyPage() {
  const breakers = useQuery({
    queryKey: [...keys.sync, "servers"],
    queryFn: readBreakers,
    refetchInterval: HEALTH_POLL_MS,
  });
  const queue = useQuery({
    queryKey: [...keys.sync, "queue"],
    queryFn: readQueue,
    refetchInterval: HEALTH_POLL_MS,
  });
  const drain = useChange<void>({
    run: async () => {
      const report = await drainQueue();
      const unavailable = Object.entries(report.unavailable).map(([s, e]) => `${s}: ${e}`);
      return {
        kind: unavailable.length > 0 || report.parked > 0 ? "partial" : "success",
        title: `Replay queue: ${report.replayed} replayed, ${report.parked} parked`,
        status: 200,
        succeeded: [],
        failures: unavailable,
      };
    },
    title: () => "Replay queue",
    invalidate: [keys.sync],
  });
  const retry = useChange<QueueEntry>({
    run: (e) => asOutcome(`Queue change #${e.id} for ${e.server} again`, () => retryEntry(e.id)),
    title: (e) => `Retry change #${e.id}`,
    invalidate: [keys.sync],
  });
  const drop = useChange<QueueEntry>({
    run: (e) => asOutcome(`Drop change #${e.id} for ${e.server}`, () => dropEntry(e.id)),
    title: (e) => `Drop change #${e.id}`,
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
      <FormError message={queue.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Changes owed to servers</caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Zone</th>
              <th scope="col">Change</th>
              <th scope="col" className="hide-narrow">
                State
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.data?.items.map((e) => (
              <tr key={e.id}>
                <td className="cell-name">{e.server}</td>
                <td className="cell-name">{e.zone}</td>
                <td className="cell-name">
                  {e.reason}
                  <div className="muted">
                    {formatTime(e.created_at)}
                    {e.actor ? ` by ${e.actor}` : ""}
                  </div>
                </td>
                <td className="hide-narrow cell-name">
                  {e.status}, {e.attempts} attempts
                  {e.last_error && <div className="field-error">{e.last_error}</div>}
                </td>
                <td className="cell-actions">
                  {e.status === "parked" && (
                    <button
                      type="button"
                      className="button-small button-secondary"
                      onClick={() => retry.mutate(e)}
                    >
                      Retry
                    </button>
                  )}
                  <button
                    type="button"
                    className="button-small button-danger-outline"
                    onClick={() => drop.mutate(e)}
                    aria-label={`Drop change ${e.id} for ${e.server}`}
                  >
                    Drop
                  </button>
                </td>
              </tr>
            ))}
            {queue.data?.items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  Nothing is owed to any server: they all have every change.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
