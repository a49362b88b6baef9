import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError } from "../api/client";
import { keys } from "../api/keys";
import { listRecords, setRecordDisabled } from "../api/records";
import type { DnsRecord } from "../api/types";
import { readZone } from "../api/zones";
import { Breakable } from "../components/Breakable";
import { BulkPanel } from "../components/BulkPanel";
import { CloneZoneDialog } from "../components/CloneZoneDialog";
import { DnssecPanel } from "../components/DnssecPanel";
import { ImportDialog } from "../components/ImportDialog";
import { exportZone } from "../api/zonefiles";
import { createZonePtrs, ptrLines } from "../api/ptr";
import { useNotify } from "../components/NotificationProvider";
import { DeleteRecordDialog } from "../components/DeleteRecordDialog";
import { DeleteZoneDialog } from "../components/DeleteZoneDialog";
import { Field } from "../components/Field";
import { Pagination } from "../components/Pagination";
import { RecordDialog } from "../components/RecordDialog";
import { RecordsTable } from "../components/RecordsTable";
import { SoaDialog } from "../components/SoaDialog";
import { useChange } from "../hooks/useChange";
import { CommentsDialog } from "../components/CommentsDialog";
import { SaveAsTemplateDialog } from "../components/SaveAsTemplateDialog";
import { VersionsPanel } from "../components/VersionsPanel";
import { ZoneSettingsPanel } from "../components/ZoneSettingsPanel";
import { ZoneSyncLink } from "../components/ZoneSyncLink";
import { useDebounced } from "../hooks/useDebounced";
import { usePermissions } from "../hooks/usePermissions";
import { downloadText } from "../lib/download";
import { TYPE_NAMES } from "../lib/recordTypes";
import { FormError } from "../components/FormError";
import { ServerPicker, browsed } from "../components/ServerPicker";
import { useServers } from "../hooks/queries";

const PAGE_SIZES = [50, 100, 250];
const VIEWS = [
  ["records", "Records"],
  ["history", "History"],
  ["dnssec", "DNSSEC"],
  ["bulk", "Bulk changes"],
  ["settings", "Settings"],
] as const;

type Dialog =
  | { kind: "add" }
  | { kind: "edit"; record: DnsRecord }
  | { kind: "delete"; record: DnsRecord }
  | { kind: "delete-zone" }
  | { kind: "soa" }
  | { kind: "comments"; record: DnsRecord }
  | { kind: "import" }
  | { kind: "save-template" }
  | { kind: "clone" }
  | null;

export function ZoneDetailPage() {
  const zone = useParams().zone ?? "";
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const perPage = PAGE_SIZES.includes(Number(params.get("per_page")))
    ? Number(params.get("per_page"))
    : 100;
  const type = params.get("type") ?? "";
  const [name, setName] = useState(params.get("name") ?? "");
  const [search, setSearch] = useState(params.get("search") ?? "");
  const filters = { name: useDebounced(name.trim()), search: useDebounced(search.trim()) };
  const [dialog, setDialog] = useState<Dialog>(null);
  const role = usePermissions();
  const serverList = useServers();
  const serverId = Number(params.get("server")) || null;
  const { server: browsing, readOnly } = browsed(serverList.data, serverId);
  const view = readOnly
    ? "records"
    : (VIEWS.find(([key]) => key === params.get("view"))?.[0] ?? "records");

  const detail = useQuery({
    queryKey: [...keys.zone(zone), serverId],
    queryFn: () => readZone(zone, serverId ?? undefined),
  });
  // What this user may do in THIS zone (a manager only in the zones granted to them), as
  // the server says; when the servers cannot be read, the role decides (a write then
  // reports per server), but never after a 403 or 404 for this zone. A server that is not
  // a write target is only browsed: nothing on this page writes.
  const refused = detail.error instanceof ApiError && [403, 404].includes(detail.error.status);
  const fallback = !detail.isPending && !refused;
  const canWriteRecords =
    !readOnly && (detail.data?.can_write_records ?? (fallback && role.canWriteRecords));
  const canManageZones =
    !readOnly && (detail.data?.can_manage_zone ?? (fallback && role.canManageZones));
  const toggle = useChange<DnsRecord>({
    run: (record) => setRecordDisabled(zone, record, !record.disabled),
    title: (record) => `${record.disabled ? "Enable" : "Disable"} ${record.type} ${record.name}`,
    invalidate: [keys.records(zone)],
  });
  const query = {
    server: serverId ?? undefined,
    page,
    per_page: perPage,
    type: type || undefined,
    name: filters.name || undefined,
    search: filters.search || undefined,
  };
  const records = useQuery({
    queryKey: [...keys.records(zone), query],
    queryFn: () => listRecords(zone, query),
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

  const servers = detail.data?.servers;
  const notify = useNotify();
  const ptrs = useChange<void>({
    run: async () => {
      const result = await createZonePtrs(zone);
      const lines = ptrLines(result);
      return {
        kind: result.zones.some((z) => z.failed_servers.length > 0) ? "partial" : "success",
        title: `Create PTRs for ${zone}`,
        status: 200,
        succeeded: [],
        failures: [],
        notes: [`${result.addresses ?? 0} A/AAAA addresses.`, ...lines],
      };
    },
    title: () => `Create PTRs for ${zone}`,
    invalidate: [keys.zones],
  });

  async function download() {
    try {
      downloadText(`${zone}.zone`, await exportZone(zone));
    } catch (error) {
      notify({
        kind: "failure",
        title: `Export ${zone}`,
        status: 0,
        message: error instanceof Error ? error.message : String(error),
        succeeded: [],
        failures: [],
      });
    }
  }

  return (
    <section>
      <p className="breadcrumb">
        <Link to={serverId ? `/zones?server=${serverId}` : "/zones"}>Zones</Link> /{" "}
        <span>{zone}</span>
      </p>
      <div className="page-head">
        <h1 className="zone-title">
          <Breakable text={zone} />
        </h1>
        <div className="page-actions">
          {canWriteRecords && (
            <button type="button" onClick={() => setDialog({ kind: "add" })}>
              + Add record
            </button>
          )}
          <button type="button" className="button-secondary" onClick={download}>
            Export
          </button>
          {canWriteRecords && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => setDialog({ kind: "import" })}
            >
              Import
            </button>
          )}
          {canManageZones && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => setDialog({ kind: "save-template" })}
            >
              Save as template
            </button>
          )}
          {canManageZones && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => setDialog({ kind: "clone" })}
            >
              Clone
            </button>
          )}
          {canWriteRecords && (
            <button
              type="button"
              className="button-secondary"
              disabled={ptrs.isPending}
              onClick={() => ptrs.mutate(undefined)}
            >
              Create PTRs
            </button>
          )}
          {canManageZones && (
            <button
              type="button"
              className="button-danger-outline"
              onClick={() => setDialog({ kind: "delete-zone" })}
            >
              Delete zone
            </button>
          )}
        </div>
      </div>
      {detail.data && (
        <dl className="zone-meta">
          <div>
            <dt>Kind</dt>
            <dd>{detail.data.kind}</dd>
          </div>
          {detail.data.catalog && (
            <div>
              <dt>Catalog</dt>
              <dd>
                <Link to={`/zones/${encodeURIComponent(detail.data.catalog)}?view=settings`}>
                  {detail.data.catalog}
                </Link>
              </dd>
            </div>
          )}
          <div>
            <dt>Serial</dt>
            <dd>{detail.data.serial}</dd>
          </div>
          <div>
            <dt>Name servers</dt>
            <dd>{detail.data.nameservers.join(", ") || "—"}</dd>
          </div>
          <div>
            <dt>{browsing ? "Read from" : "Changes go to"}</dt>
            <dd data-testid="zone-servers">{detail.data.servers.join(", ")}</dd>
          </div>
        </dl>
      )}
      {(serverList.data?.length ?? 0) > 1 && (
        <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
          <ServerPicker
            servers={serverList.data ?? []}
            value={serverId}
            onChange={(next) => update({ server: next ?? undefined, page: 1 })}
          />
        </form>
      )}
      {browsing && (
        <p className="targets" role="note" data-testid="browsing">
          Showing the copy on <strong>{browsing.name}</strong>
          {readOnly ? ", which is not a write target: read-only. " : ". "}
          {role.isAdmin && (
            <Link to={`/settings/sync/${encodeURIComponent(zone)}?reference=${browsing.id}`}>
              Compare with the write targets
            </Link>
          )}
        </p>
      )}
      {detail.data && !browsing && (
        <ZoneSyncLink zone={zone} servers={detail.data.servers} drift={detail.data.drift} />
      )}
      <FormError message={detail.error?.message} />

      <nav className="tabs" aria-label="Zone sections">
        {VIEWS.filter(
          ([key]) => (key !== "bulk" || canWriteRecords) && (!readOnly || key === "records"),
        ).map(([key, label]) => (
          <button
            key={key}
            type="button"
            className={`tab tab-button${view === key ? " active" : ""}`}
            aria-pressed={view === key}
            onClick={() => update({ view: key === "records" ? undefined : key })}
          >
            {label}
          </button>
        ))}
      </nav>

      {view === "history" && (
        <VersionsPanel zone={zone} servers={servers} canWrite={canWriteRecords} />
      )}
      {view === "dnssec" && <DnssecPanel zone={zone} canManage={canManageZones} />}
      {view === "bulk" && canWriteRecords && <BulkPanel zone={zone} servers={servers} />}
      {view === "settings" && (
        <ZoneSettingsPanel zone={zone} canManage={canManageZones} canWrite={canWriteRecords} />
      )}
      {view === "records" && (
        <>
          <form className="toolbar filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <Field label="Name (exact)">
              <input
                value={name}
                placeholder="www or @"
                onChange={(e) => {
                  setName(e.target.value);
                  update({ name: e.target.value.trim(), page: 1 });
                }}
              />
            </Field>
            <Field label="Type">
              <select value={type} onChange={(e) => update({ type: e.target.value, page: 1 })}>
                <option value="">All types</option>
                {TYPE_NAMES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </Field>
            <Field label="Search">
              <input
                type="search"
                value={search}
                placeholder="name or content"
                onChange={(e) => {
                  setSearch(e.target.value);
                  update({ search: e.target.value.trim(), page: 1 });
                }}
              />
            </Field>
            <Field label="Per page">
              <select
                value={perPage}
                onChange={(e) => update({ per_page: e.target.value, page: 1 })}
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </Field>
          </form>

          <FormError message={records.error?.message} />
          {records.data && (
            <Pagination
              label="Records"
              page={page}
              perPage={perPage}
              total={records.data.total}
              onPage={(p) => update({ page: p })}
            />
          )}
          <RecordsTable
            zone={zone}
            records={records.data?.items ?? []}
            loading={records.isFetching}
            onEdit={(record) => setDialog({ kind: "edit", record })}
            canWrite={canWriteRecords}
            onDelete={(record) => setDialog({ kind: "delete", record })}
            onEditSoa={() => setDialog({ kind: "soa" })}
            onComments={(record) => setDialog({ kind: "comments", record })}
            onToggleDisabled={(record) => toggle.mutate(record)}
            highlight={params.get("highlight")}
          />
        </>
      )}

      {dialog?.kind === "add" && <RecordDialog zone={zone} onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && (
        <RecordDialog zone={zone} record={dialog.record} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "delete" && (
        <DeleteRecordDialog
          zone={zone}
          record={dialog.record}
          servers={servers}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "comments" && (
        <CommentsDialog zone={zone} record={dialog.record} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "soa" && <SoaDialog zone={zone} onClose={() => setDialog(null)} />}
      {dialog?.kind === "import" && <ImportDialog zone={zone} onClose={() => setDialog(null)} />}
      {dialog?.kind === "save-template" && (
        <SaveAsTemplateDialog zone={zone} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "clone" && (
        <CloneZoneDialog
          zone={zone}
          onClose={() => setDialog(null)}
          onCloned={(name) => {
            setDialog(null);
            navigate(`/zones/${encodeURIComponent(name)}`);
          }}
        />
      )}
      {dialog?.kind === "delete-zone" && (
        <DeleteZoneDialog
          zone={zone}
          onClose={() => setDialog(null)}
          onDeleted={() => navigate("/zones")}
        />
      )}
    </section>
  );
}
