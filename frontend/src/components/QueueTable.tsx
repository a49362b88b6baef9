import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { keys } from "../api/keys";
import { dropEntries, dropEntry, readQueue, retryEntries, retryEntry } from "../api/sync";
import type { Breaker, QueueEntry, QueueLine } from "../api/sync";
import { asOutcome, useChange } from "../hooks/useChange";
import { HEALTH_POLL_MS } from "../hooks/queries";
import { useDebounced } from "../hooks/useDebounced";
import { formatAge, formatTime } from "../lib/time";
import { ConfirmDialog } from "./ConfirmDialog";
import { Field } from "./Field";
import { FormError } from "./FormError";

function LineText({ line }: { line: QueueLine }) {
  const what = [line.name, line.type].filter(Boolean).join(" ");
  return (
    <div className="queue-line">
      <span className="badge badge-muted">{line.operation}</span> <code>{what}</code>
      {line.old_content != null && (
        <>
          {" "}
          <span className="muted">{line.old_content} →</span>
        </>
      )}
      {line.content != null && <span className="queue-content"> {line.content}</span>}
    </div>
  );
}

/** The retry queue: every change owed to a server, with what it changes; filters by
 * server and zone; Retry and Drop per entry and for the selected entries at once. */
export function QueueTable({ servers }: { servers: Breaker[] }) {
  const [serverId, setServerId] = useState("");
  const [zoneInput, setZoneInput] = useState("");
  const zone = useDebounced(zoneInput.trim());
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirmDrop, setConfirmDrop] = useState(false);
  const filter = { server_id: serverId ? Number(serverId) : undefined, zone: zone || undefined };
  const queue = useQuery({
    queryKey: [...keys.sync, "queue", filter],
    queryFn: () => readQueue(filter),
    refetchInterval: HEALTH_POLL_MS,
  });
  const items = queue.data?.items ?? [];
  const chosen = items.filter((e) => selected.has(e.id));
  const clear = () => setSelected(new Set());

  const retry = useChange<QueueEntry>({
    run: (e) => asOutcome(`Queue change #${e.id} for ${e.server} again`, () => retryEntry(e.id)),
    title: (e) => `Retry change #${e.id}`,
    invalidate: [keys.sync, keys.audit],
  });
  const drop = useChange<QueueEntry>({
    run: (e) => asOutcome(`Drop change #${e.id} for ${e.server}`, () => dropEntry(e.id)),
    title: (e) => `Drop change #${e.id}`,
    invalidate: [keys.sync, keys.audit],
  });
  const retryMany = useChange<number[]>({
    run: (ids) => asOutcome(`Queue ${ids.length} changes again`, () => retryEntries(ids)),
    title: () => "Retry selected changes",
    invalidate: [keys.sync, keys.audit],
    onSuccess: clear,
  });
  const dropMany = useChange<number[]>({
    run: (ids) => asOutcome(`Drop ${ids.length} changes`, () => dropEntries(ids)),
    title: () => "Drop selected changes",
    invalidate: [keys.sync, keys.audit],
    onSuccess: () => {
      clear();
      setConfirmDrop(false);
    },
  });

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const allChosen = items.length > 0 && chosen.length === items.length;

  return (
    <>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Server">
          <select value={serverId} onChange={(e) => (setServerId(e.target.value), clear())}>
            <option value="">All servers</option>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Zone">
          <input
            value={zoneInput}
            placeholder="example.com"
            onChange={(e) => (setZoneInput(e.target.value), clear())}
          />
        </Field>
        <div className="page-actions">
          <button
            type="button"
            className="button-secondary"
            disabled={chosen.length === 0 || retryMany.isPending}
            onClick={() => retryMany.mutate(chosen.map((e) => e.id))}
          >
            Retry selected ({chosen.length})
          </button>
          <button
            type="button"
            className="button-danger-outline"
            disabled={chosen.length === 0}
            onClick={() => setConfirmDrop(true)}
          >
            Drop selected ({chosen.length})
          </button>
        </div>
      </form>
      <FormError message={queue.error?.message} />
      <div className="table-wrap">
        <table className="table queue-table">
          <caption className="sr-only">Changes owed to servers</caption>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select every change shown"
                  checked={allChosen}
                  onChange={() =>
                    setSelected(allChosen ? new Set() : new Set(items.map((e) => e.id)))
                  }
                />
              </th>
              <th scope="col">Server</th>
              <th scope="col">Zone</th>
              <th scope="col">Change</th>
              <th scope="col">Age</th>
              <th scope="col" className="hide-narrow">
                State
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select change ${e.id}`}
                    checked={selected.has(e.id)}
                    onChange={() => toggle(e.id)}
                  />
                </td>
                <td className="cell-name">{e.server}</td>
                <td className="cell-name">{e.zone}</td>
                <td className="cell-name">
                  {e.lines.map((line, i) => (
                    <LineText key={i} line={line} />
                  ))}
                  <div className="muted">
                    #{e.id} {e.operation}
                    {e.actor ? ` by ${e.actor}` : ""}
                  </div>
                </td>
                <td title={formatTime(e.created_at)}>{formatAge(e.age_seconds)}</td>
                <td className="hide-narrow cell-name">
                  <span className={`badge ${e.status === "parked" ? "badge-bad" : "badge-warn"}`}>
                    {e.status}
                  </span>{" "}
                  {e.attempts} {e.attempts === 1 ? "attempt" : "attempts"}
                  {e.last_error && <div className="field-error">{e.last_error}</div>}
                </td>
                <td className="cell-actions">
                  {e.status === "parked" && (
                    <button
                      type="button"
                      className="button-small button-secondary"
                      onClick={() => retry.mutate(e)}
                      aria-label={`Retry change ${e.id} for ${e.server}`}
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
            {queue.data && items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  {serverId || zone
                    ? "Nothing queued matches these filters."
                    : "Nothing is owed to any server: they all have every change."}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {confirmDrop && (
        <ConfirmDialog
          title={`Drop ${chosen.length} queued changes?`}
          confirmLabel="Drop"
          busy={dropMany.isPending}
          onConfirm={() => dropMany.mutate(chosen.map((e) => e.id))}
          onCancel={() => setConfirmDrop(false)}
        >
          <p>These servers will never receive these changes (reconcile repairs the zones):</p>
          <ul>
            {chosen.map((e) => (
              <li key={e.id}>
                {e.server}: {e.zone}{" "}
                {e.lines
                  .map((l) => [l.operation, l.name, l.type, l.content].filter(Boolean).join(" "))
                  .join("; ")}
              </li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </>
  );
}
