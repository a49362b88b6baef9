import { useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { listTemplates } from "../api/templates";
import type { ZoneCreate } from "../api/types";
import { readSoaDefaults } from "../api/soa";
import { createZone } from "../api/zones";
import { useChange } from "../hooks/useChange";
import { soaBody, soaDraft, soaEmpty, soaPlaceholders } from "../lib/soa";
import { splitList } from "../lib/templateRows";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { SoaFieldsEditor } from "./SoaFieldsEditor";
import { TemplatePreview } from "./TemplatePreview";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";

const KINDS = [
  {
    value: "Native",
    hint: "Replicated by your own means (database replication, or DNSMate's multi-server mode).",
  },
  { value: "Master", hint: "Primary: PowerDNS sends NOTIFY and serves AXFR to secondaries." },
  { value: "Slave", hint: "Secondary: PowerDNS transfers the zone from the masters you list." },
  {
    value: "Producer",
    hint: "Catalog zone: lists member zones (set in each Master zone's settings) for consumers.",
  },
  {
    value: "Consumer",
    hint: "Catalog consumer: transfers a producer's catalog and serves its members as secondaries.",
  },
];
/** Kinds whose data comes from their masters by zone transfer (no records, SOA or template). */
const TRANSFERRED = ["Slave", "Consumer"];

/** Create a zone on every target server: name, kind, name servers (or masters), template. */
export function ZoneCreateDialog({ onClose }: { onClose: (created?: string) => void }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState("Native");
  const [nameservers, setNameservers] = useState("");
  const [masters, setMasters] = useState("");
  const [templateId, setTemplateId] = useState("");
  const [soa, setSoa] = useState(soaDraft());
  const templates = useQuery({ queryKey: keys.templates, queryFn: listTemplates });
  const soaDefaults = useQuery({ queryKey: keys.soaDefaults, queryFn: readSoaDefaults });
  const transferred = TRANSFERRED.includes(kind);
  // A secondary zone gets its records by transfer, so templates are for the other kinds.
  const template = transferred
    ? undefined
    : templates.data?.items.find((t) => String(t.id) === templateId);
  const change = useChange<ZoneCreate>({
    run: createZone,
    title: (body) => `Create zone ${body.name}`,
    invalidate: [keys.zones],
    fieldsInForm: true,
    onSuccess: (_outcome, body) => onClose(body.name),
  });
  const error = change.error;
  const general = formError(error);

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({
      name: name.trim(),
      kind,
      nameservers: splitList(nameservers),
      masters: transferred ? splitList(masters) : [],
      template_id: template?.id ?? null,
      soa: transferred || soaEmpty(soa) ? null : soaBody(soa),
    });
  }

  return (
    <Modal title="Create zone" onClose={() => onClose()}>
      <form onSubmit={submit} noValidate>
        <Field label="Zone name" hint="e.g. example.com" error={fieldError(error, "name")}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
          />
        </Field>
        <Field
          label="Kind"
          hint={KINDS.find((k) => k.value === kind)?.hint}
          error={fieldError(error, "kind")}
        >
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.value}
              </option>
            ))}
          </select>
        </Field>
        {transferred ? (
          <Field
            label="Masters"
            hint="IP addresses of the primary servers, separated by spaces or commas"
            error={fieldError(error, "masters")}
          >
            <input value={masters} onChange={(e) => setMasters(e.target.value)} />
          </Field>
        ) : (
          <Field
            label="Name servers"
            hint={
              template
                ? "Leave empty to use the template's, or list others to use instead"
                : kind === "Producer"
                  ? "Optional for a catalog: empty gives the NS record invalid. (RFC 9432)"
                  : "Host names for the apex NS records, e.g. ns1.example.com ns2.example.com"
            }
            error={fieldError(error, "nameservers")}
          >
            <textarea
              rows={2}
              value={nameservers}
              onChange={(e) => setNameservers(e.target.value)}
            />
          </Field>
        )}
        {!transferred && (templates.data?.items.length ?? 0) > 0 && (
          <Field
            label="Template"
            hint="Optional: start the zone with a template's records and settings"
            error={fieldError(error, "template_id")}
          >
            <select value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              <option value="">No template</option>
              {templates.data?.items.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {template && (
          <TemplatePreview
            template={template}
            zone={name}
            ownNameservers={splitList(nameservers).length > 0}
          />
        )}
        {!transferred && (
          <details className="soa-section">
            <summary>
              SOA (optional: defaults from Settings{template ? " and the template" : ""})
            </summary>
            <SoaFieldsEditor
              value={soa}
              onChange={setSoa}
              placeholders={soaPlaceholders(soaDefaults.data, template?.soa)}
              error={error}
              prefix="soa."
            />
          </details>
        )}
        <FormError message={general} />
        <DialogActions
          onCancel={() => onClose()}
          label="Create zone"
          pending={change.isPending}
          pendingLabel="Creating…"
        />
      </form>
    </Modal>
  );
}
