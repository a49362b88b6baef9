import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";
import { keys } from "../api/keys";
import { readSyncStatus } from "../api/sync";
import type { SyncStatus, ZoneSyncEntry } from "../api/sync";
import { Field } from "../components/Field";
import { Pagination } from "../components/Pagination";
import { ReconcileAllDialog } from "../components/ReconcileAllDialog";
import { SettingsTabs } from "../components/SettingsTabs";
import { SyncStateBadge } from "../components/SyncStateBadge";
import { filterZones, serverCounts, serverState } from "../lib/sync";
import { useServers } from "../hooks/queries";
import { FormError } from "../components/FormError";

const PER_PAGE = 100;

export const syncZonePath = (zone: string) => `/settings/sync/${encodeURIComponent(zone)}`;

/** Settings > Sync: every zone on every server (in sync, drifted, missing), with counts. */
export function SyncPage() {
  const [params, setParams] = useSearchParams();
  // Local state mirrored into the URL: a router navigation is a transition, so a checkbox
  // bound to the URL alone would flip back until the navigation commits.
  const [problemsOnly, setProblemsOnly] = useState(params.get("problems") === "1");
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [deep, setDeep] = useState(false);
  const [reconcileAll, setReconcileAll] = useState(false);
  const servers = useServers();
  const status = useQuery({
    queryKey: [...keys.sync, "status", deep],
    queryFn: () => readSyncStatus(deep),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (!value) next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  }

  // Buttons stay enabled while checking (a disabled button drops the keyboard focus).
  function check(nextDeep: boolean) {
    if (status.isFetching) return;
    if (nextDeep === deep) void status.refetch();
    else setDeep(nextDeep);
  }

  const data = status.data;
  const shown = data ? filterZones(data.zones, { problemsOnly, search }) : [];
  const pageRows = shown.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const busy = status.isFetching;

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <div className="page-head">
        <h2>Zones across servers</h2>
        <div className="page-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() => check(false)}
            aria-disabled={busy}
          >
            Check again
          </button>
          <button type="button" onClick={() => check(true)} aria-disabled={busy}>
            {busy && deep ? "Comparing content…" : "Deep check"}
          </button>
          <button type="button" className="button-secondary" onClick={() => setReconcileAll(true)}>
            Reconcile all…
          </button>
        </div>
      </div>
      <p className="muted">
        A quick check compares serials and looks inside only the zones whose serials differ or that
        have changes queued. A deep check compares the content of every zone (SOA serials are
        ignored).
      </p>
      <FormError message={status.error?.message} />
      {reconcileAll && (
        <ReconcileAllDialog servers={servers.data ?? []} onClose={() => setReconcileAll(false)} />
      )}
      {status.isPending && (
        <p className="loading" role="status" aria-live="polite">
          Comparing every zone on every server… On large installations this takes a few seconds.
        </p>
      )}
      {data && <Summary status={data} busy={busy} />}

      {data && (
        <>
          <form className="toolbar filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <Field label="Search zones">
              <input
                type="search"
                value={search}
                placeholder="part of a zone name"
                onChange={(e) => {
                  setSearch(e.target.value);
                  update({ search: e.target.value.trim(), page: undefined });
                }}
              />
            </Field>
            <label className="switch">
              <input
                type="checkbox"
                checked={problemsOnly}
                onChange={(e) => {
                  setProblemsOnly(e.target.checked);
                  update({ problems: e.target.checked ? "1" : undefined, page: undefined });
                }}
              />
              Only problems
            </label>
          </form>
          <div className="table-wrap">
            <table className="table sync-table" aria-busy={busy}>
              <caption className="sr-only">Sync state of every zone</caption>
              <thead>
                <tr>
                  <th scope="col">Zone</th>
                  <th scope="col">State</th>
                  {data.servers.map((server) => (
                    <th scope="col" key={server} className="hide-narrow">
                      {server}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {pageRows.map((entry) => (
                  <ZoneRow key={entry.zone} entry={entry} status={data} />
                ))}
                {shown.length === 0 && (
                  <tr>
                    <td colSpan={2 + data.servers.length} className="empty">
                      {emptyText(data, problemsOnly, search.trim())}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {shown.length > PER_PAGE && (
            <Pagination
              label="Zones"
              page={page}
              perPage={PER_PAGE}
              total={shown.length}
              onPage={(p) => update({ page: p > 1 ? String(p) : undefined })}
            />
          )}
        </>
      )}
    </section>
  );
}

function emptyText(status: SyncStatus, problemsOnly: boolean, search: string): string {
  if (search) return `No zone matches “${search}”.`;
  if (status.zones.length === 0) return "No zones on the servers yet.";
  if (problemsOnly) return "No problems: every zone is the same on every server.";
  return "No zones.";
}

function Summary({ status, busy }: { status: SyncStatus; busy: boolean }) {
  const counts = serverCounts(status);
  const { summary } = status;
  const unreachable = Object.entries(status.unreachable);
  return (
    <>
      <p className="sync-summary" aria-live="polite">
        <strong>
          {status.zones.length} {status.zones.length === 1 ? "zone" : "zones"}:
        </strong>{" "}
        {summary.in_sync} in sync, {summary.drifted} drifted, {summary.missing} missing on some
        server
        {summary.unknown > 0 && `, ${summary.unknown} unknown`}.{" "}
        <span className="muted">
          {status.deep ? "Deep check" : "Quick check"} against {status.reference} in{" "}
          {Math.round(status.duration_ms)} ms{busy ? " (checking again…)" : ""}.
        </span>
      </p>
      {status.servers.length < 2 && (
        <p className="muted">
          Only one server takes writes, so there is nothing to compare. Turn on multi-server mode
          for more servers in Settings › PowerDNS.
        </p>
      )}
      {unreachable.length > 0 && (
        <div className="form-error" role="alert">
          Not reachable, so its zones could not be compared:
          <ul>
            {unreachable.map(([server, error]) => (
              <li key={server}>
                {server}: {error}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="table-wrap">
        <table className="table sync-counts">
          <caption className="sr-only">Zones per server</caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">In sync</th>
              <th scope="col">Drifted</th>
              <th scope="col">Missing</th>
              <th scope="col">Unknown</th>
            </tr>
          </thead>
          <tbody>
            {status.servers.map((server) => (
              <tr key={server}>
                <td className="cell-name">
                  {server}
                  {server === status.reference && <span className="muted"> (reference)</span>}
                </td>
                <td>{counts[server].in_sync}</td>
                <td>{counts[server].drifted}</td>
                <td>{counts[server].missing}</td>
                <td>{counts[server].unknown}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ZoneRow({ entry, status }: { entry: ZoneSyncEntry; status: SyncStatus }) {
  const problem = entry.status !== "in_sync";
  const where = [
    entry.missing_on.length > 0 && `missing on ${entry.missing_on.join(", ")}`,
    entry.drifted_on.length > 0 && `drifted on ${entry.drifted_on.join(", ")}`,
    (entry.unknown_on?.length ?? 0) > 0 && `unknown on ${entry.unknown_on!.join(", ")}`,
  ].filter(Boolean);
  return (
    <tr data-zone={entry.zone}>
      <td className="cell-name">
        <Link
          to={syncZonePath(entry.zone)}
          aria-label={`${entry.zone}: compare servers`}
          title="Compare the servers' copies"
        >
          {entry.zone}
        </Link>
      </td>
      <td className="cell-name">
        <SyncStateBadge state={entry.status} />
        {problem && where.length > 0 && <div className="muted only-narrow">{where.join("; ")}</div>}
        {entry.checked === "serial" && !problem && (
          <span className="muted" title="Serials agree; content not compared (deep check does)">
            {" "}
            (serials)
          </span>
        )}
      </td>
      {status.servers.map((server) => (
        <td key={server} className="hide-narrow">
          <SyncStateBadge state={serverState(entry, server, status)} />
        </td>
      ))}
    </tr>
  );
}
