import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { keys } from "../api/keys";
import { listZones } from "../api/zones";
import type { Zone } from "../api/types";
import { DeleteZoneDialog } from "../components/DeleteZoneDialog";
import { Breakable } from "../components/Breakable";
import { Field } from "../components/Field";
import { Pagination } from "../components/Pagination";
import { ZoneCreateDialog } from "../components/ZoneCreateDialog";
import { useDebounced } from "../hooks/useDebounced";
import { usePermissions } from "../hooks/usePermissions";
import { FormError } from "../components/FormError";
import { ServerPicker, browsed } from "../components/ServerPicker";
import { useServers } from "../hooks/queries";

const PER_PAGE = 25;

export function ZonesPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [search, setSearch] = useState(params.get("search") ?? "");
  const debounced = useDebounced(search.trim());
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Zone | null>(null);
  const navigate = useNavigate();
  const permissions = usePermissions();
  const servers = useServers();
  const serverId = Number(params.get("server")) || null;
  const { server, readOnly } = browsed(servers.data, serverId);
  const canManageZones = permissions.canManageZones && !readOnly;

  const query = {
    page,
    per_page: PER_PAGE,
    search: debounced || undefined,
    server: serverId ?? undefined,
  };
  const zones = useQuery({
    queryKey: [...keys.zones, query],
    queryFn: () => listZones(query),
    placeholderData: keepPreviousData,
  });

  function goTo(nextPage: number, nextSearch = debounced, nextServer = serverId) {
    const next = new URLSearchParams();
    if (nextPage > 1) next.set("page", String(nextPage));
    if (nextSearch) next.set("search", nextSearch);
    if (nextServer !== null) next.set("server", String(nextServer));
    setParams(next, { replace: true });
  }

  function onSearch(value: string) {
    setSearch(value);
    goTo(1, value.trim());
  }

  return (
    <section>
      <div className="page-head">
        <h1>Zones</h1>
        {canManageZones && (
          <button type="button" onClick={() => setCreating(true)}>
            + Create zone
          </button>
        )}
      </div>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search zones">
          <input
            type="search"
            value={search}
            placeholder="part of a zone name"
            onChange={(e) => onSearch(e.target.value)}
          />
        </Field>
        {(servers.data?.length ?? 0) > 1 && (
          <ServerPicker
            servers={servers.data ?? []}
            value={serverId}
            onChange={(next) => goTo(1, debounced, next)}
          />
        )}
      </form>
      {readOnly && server && (
        <p className="targets" role="note" data-testid="browsing">
          Browsing <strong>{server.name}</strong>, which is not a write target: read-only.
        </p>
      )}
      <FormError message={zones.error?.message} />
      <div className="table-wrap">
        <table className="table" aria-busy={zones.isFetching}>
          <caption className="sr-only">Zones</caption>
          <thead>
            <tr>
              <th scope="col">Zone</th>
              <th scope="col">Kind</th>
              <th scope="col" className="hide-narrow">
                Serial
              </th>
              <th scope="col" className="hide-narrow">
                DNSSEC
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {zones.data?.items.map((zone) => (
              <tr key={zone.name}>
                <td className="cell-name">
                  <Link
                    to={`/zones/${encodeURIComponent(zone.name)}${serverId ? `?server=${serverId}` : ""}`}
                  >
                    <Breakable text={zone.name} />
                  </Link>
                </td>
                <td>{zone.kind}</td>
                <td className="hide-narrow">{zone.serial}</td>
                <td className="hide-narrow">
                  {zone.dnssec ? <span className="badge badge-ok">Signed</span> : "—"}
                </td>
                <td className="cell-actions">
                  {canManageZones && (
                    <button
                      type="button"
                      className="button-small button-danger-outline"
                      onClick={() => setDeleting(zone)}
                      aria-label={`Delete zone ${zone.name}`}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {zones.data && zones.data.items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  {debounced ? `No zone matches “${debounced}”.` : "No zones yet."}
                </td>
              </tr>
            )}
            {zones.isPending && (
              <tr>
                <td colSpan={5} className="empty">
                  Loading zones…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {zones.data && (
        <Pagination
          label="Zones"
          page={page}
          perPage={PER_PAGE}
          total={zones.data.total}
          onPage={(p) => goTo(p)}
        />
      )}
      {creating && (
        <ZoneCreateDialog
          onClose={(created) => {
            setCreating(false);
            if (created) navigate(`/zones/${encodeURIComponent(created.replace(/\.$/, ""))}`);
          }}
        />
      )}
      {deleting && <DeleteZoneDialog zone={deleting.name} onClose={() => setDeleting(null)} />}
    </section>
  );
}
