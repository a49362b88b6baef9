import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { keys } from "../api/keys";
import { readZoneDiff } from "../api/sync";
import { Field } from "../components/Field";
import { ReconcilePanel } from "../components/ReconcilePanel";
import { ServerDiffView } from "../components/ServerDiffView";
import { SettingsTabs } from "../components/SettingsTabs";
import { useServers } from "../hooks/queries";
import { FormError } from "../components/FormError";
import { ServerOptions } from "../components/ServerPicker";

/** Settings > Sync > zone: each server's differences from a reference, and reconcile. */
export function SyncZonePage() {
  const zone = useParams().zone ?? "";
  // ?reference= comes from "Compare with the write targets" on a browsed server's zone.
  const initial = Number(useSearchParams()[0].get("reference")) || null;
  const [reference, setReference] = useState<number | null>(initial);
  const servers = useServers();
  const active = (servers.data ?? []).filter((s) => s.is_active);
  const diff = useQuery({
    queryKey: [...keys.sync, "diff", zone, reference],
    queryFn: () => readZoneDiff(zone, reference),
  });
  const data = diff.data;

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <p className="breadcrumb">
        <Link to="/settings/sync">Sync</Link> / <span>{zone}</span>
      </p>
      <div className="page-head">
        <h2 className="zone-title">{zone}</h2>
        <div className="page-actions">
          <Link to={`/zones/${encodeURIComponent(zone)}`}>Records</Link>
        </div>
      </div>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <Field label="Compare with (reference)">
          <select
            value={reference ?? data?.reference_id ?? ""}
            onChange={(e) => setReference(Number(e.target.value))}
          >
            {data && !active.some((s) => s.id === data.reference_id) && (
              <option value={data.reference_id}>{data.reference}</option>
            )}
            <ServerOptions servers={active} />
          </select>
        </Field>
        <button
          type="button"
          className="button-secondary"
          onClick={() => !diff.isFetching && void diff.refetch()}
          aria-disabled={diff.isFetching}
        >
          {diff.isFetching ? "Comparing…" : "Compare again"}
        </button>
      </form>
      {diff.isPending && (
        <p className="loading" role="status">
          Reading the zone from every server…
        </p>
      )}
      <FormError message={diff.error?.message} />
      {data && (
        <div aria-busy={diff.isFetching}>
          <p role="status" className={data.in_sync ? "badge badge-ok" : "badge badge-warn"}>
            {data.in_sync
              ? `Every server holds the same RRsets as ${data.reference}.`
              : `Some servers differ from ${data.reference}.`}
          </p>
          <p className="muted">SOA serials are ignored: each server keeps its own.</p>
          {data.servers.map((s) => (
            <ServerDiffView key={s.server_id} diff={s} reference={data.reference} />
          ))}
        </div>
      )}
      {active.length > 0 && <ReconcilePanel zone={zone} servers={active} />}
    </section>
  );
}
