import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import {
  listTsigKeys,
  notifyZone,
  readZoneSettings,
  retrieveZone,
  updateZoneSettings,
} from "../api/zoneSettings";
import type { ZoneSettings, ZoneSettingsUpdate } from "../api/zoneSettings";
import { useChange } from "../hooks/useChange";
import { splitList } from "../lib/templateRows";
import { CatalogMembers } from "./CatalogMembers";
import { Field } from "./Field";
import { FormError } from "./FormError";

const KINDS = ["Native", "Master", "Slave", "Producer", "Consumer"];
/** Kinds whose data comes from their masters by zone transfer. */
const TRANSFERRED = ["Slave", "Consumer"];
const SOA_EDIT_API = ["DEFAULT", "INCREASE", "EPOCH", "SOA-EDIT", "SOA-EDIT-INCREASE", "OFF"];
const SOA_EDIT = ["", "INCEPTION-INCREMENT", "INCEPTION-EPOCH", "INCREMENT-WEEKS", "EPOCH", "NONE"];
/** Metadata kinds typed as lists (addresses, networks, key names). */
const LISTS = [
  ["ALSO-NOTIFY", "Also notify", "Addresses that get NOTIFY besides the NS hosts (192.0.2.9:53)"],
  ["ALLOW-AXFR-FROM", "Allow AXFR from", "Networks that may transfer the zone, or AUTO-NS"],
  ["TSIG-ALLOW-AXFR", "TSIG keys allowed to transfer", "Names of TSIG keys (Settings > TSIG keys)"],
] as const;

interface Props {
  zone: string;
  /** Admins and editors change settings; writers may still send NOTIFY. */
  canManage: boolean;
  canWrite: boolean;
}

/** A zone's kind, masters, SOA-EDIT-API, catalog and metadata, set on every server; NOTIFY,
 * retrieve; a Producer zone's members. */
export function ZoneSettingsPanel({ zone, canManage, canWrite }: Props) {
  const settings = useQuery({
    queryKey: keys.zoneSettings(zone),
    queryFn: () => readZoneSettings(zone),
  });
  if (settings.error) return <FormError message={settings.error.message} />;
  if (!settings.data) return <p className="muted">Loading…</p>;
  return (
    <ZoneSettingsForm
      zone={zone}
      current={settings.data}
      canManage={canManage}
      canWrite={canWrite}
    />
  );
}

function ZoneSettingsForm({
  zone,
  current,
  canManage,
  canWrite,
}: Props & { current: ZoneSettings }) {
  const meta = current.metadata;
  const [kind, setKind] = useState(current.kind ?? "Native");
  const [masters, setMasters] = useState(current.masters.join(" "));
  const [soaEditApi, setSoaEditApi] = useState(current.soa_edit_api || "DEFAULT");
  const [catalog, setCatalog] = useState(current.catalog);
  const [soaEdit, setSoaEdit] = useState(meta["SOA-EDIT"]?.[0] ?? "");
  const [masterKey, setMasterKey] = useState(meta["AXFR-MASTER-TSIG"]?.[0] ?? "");
  const [lists, setLists] = useState<Record<string, string>>(
    Object.fromEntries(LISTS.map(([k]) => [k, (meta[k] ?? []).join(" ")])),
  );
  const tsigKeys = useQuery({ queryKey: keys.tsigKeys, queryFn: listTsigKeys, enabled: canManage });
  const invalidate = [keys.zoneSettings(zone), keys.zone(zone), keys.catalogs];
  const save = useChange<ZoneSettingsUpdate>({
    run: (body) => updateZoneSettings(zone, body),
    title: () => `Update the settings of ${zone}`,
    invalidate,
    fieldsInForm: true,
  });
  const notify = useChange<void>({
    run: () => notifyZone(zone),
    title: () => `Send NOTIFY for ${zone}`,
    invalidate,
  });
  const retrieve = useChange<void>({
    run: () => retrieveZone(zone),
    title: () => `Retrieve ${zone}`,
    invalidate: [...invalidate, keys.records(zone)],
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      kind,
      masters: splitList(masters),
      soa_edit_api: soaEditApi,
      // Sent only when changed: a consumer's Slave zones carry the catalog PowerDNS set.
      ...(catalog.trim() !== current.catalog ? { catalog: catalog.trim() } : {}),
      metadata: {
        ...Object.fromEntries(LISTS.map(([k]) => [k, splitList(lists[k])])),
        "SOA-EDIT": soaEdit ? [soaEdit] : [],
        "AXFR-MASTER-TSIG": masterKey ? [masterKey] : [],
      },
    });
  }

  const error = save.error;
  return (
    <form onSubmit={submit} noValidate className="zone-settings">
      <p className="field-hint">Set on every server this zone is written to.</p>
      <fieldset disabled={!canManage}>
        <Field label="Kind" error={fieldError(error, "kind")}>
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </Field>
        <Field
          label="Masters"
          hint="Primary servers of a Slave or Consumer zone (192.0.2.1, 192.0.2.2:5300)"
          error={fieldError(error, "masters")}
        >
          <input value={masters} onChange={(e) => setMasters(e.target.value)} autoComplete="off" />
        </Field>
        {kind !== "Producer" && kind !== "Consumer" && (
          <Field
            label="Catalog"
            hint="The Producer (catalog) zone that lists this Master zone; empty: none"
            error={fieldError(error, "catalog")}
          >
            <input
              value={catalog}
              onChange={(e) => setCatalog(e.target.value)}
              placeholder="catalog.example"
              autoComplete="off"
            />
          </Field>
        )}
        <Field
          label="SOA-EDIT-API"
          hint="How the serial moves on changes through the API"
          error={fieldError(error, "soa_edit_api")}
        >
          <select value={soaEditApi} onChange={(e) => setSoaEditApi(e.target.value)}>
            {SOA_EDIT_API.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </Field>
        <Field
          label="SOA-EDIT"
          hint="Serial rewriting in outgoing answers (signed zones)"
          error={fieldError(error, "metadata.SOA-EDIT")}
        >
          <select value={soaEdit} onChange={(e) => setSoaEdit(e.target.value)}>
            {SOA_EDIT.map((v) => (
              <option key={v} value={v}>
                {v || "(none)"}
              </option>
            ))}
          </select>
        </Field>
        {LISTS.map(([k, label, hint]) => (
          <Field key={k} label={label} hint={hint} error={fieldError(error, `metadata.${k}`)}>
            <input
              value={lists[k]}
              onChange={(e) => setLists({ ...lists, [k]: e.target.value })}
              autoComplete="off"
            />
          </Field>
        ))}
        <Field
          label="TSIG key for transfers from the masters"
          hint="AXFR-MASTER-TSIG (Slave zones)"
          error={fieldError(error, "metadata.AXFR-MASTER-TSIG")}
        >
          <select value={masterKey} onChange={(e) => setMasterKey(e.target.value)}>
            <option value="">(none)</option>
            {[...new Set([masterKey, ...(tsigKeys.data?.items.map((k) => k.name) ?? [])])]
              .filter(Boolean)
              .map((name) => (
                <option key={name}>{name}</option>
              ))}
          </select>
        </Field>
        <FormError message={formError(error)} />
        {canManage && (
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save settings"}
          </button>
        )}
      </fieldset>
      {canWrite && (
        <div className="zone-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() => notify.mutate()}
            disabled={notify.isPending}
          >
            Send NOTIFY
          </button>
          {TRANSFERRED.includes(current.kind ?? "") && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => retrieve.mutate()}
              disabled={retrieve.isPending}
            >
              Retrieve from master
            </button>
          )}
        </div>
      )}
      {current.kind === "Producer" && <CatalogMembers zone={zone} />}
    </form>
  );
}
