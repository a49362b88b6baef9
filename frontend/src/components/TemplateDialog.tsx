import { useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readSoaDefaults } from "../api/soa";
import { SOA_EDIT_API, createTemplate, updateTemplate } from "../api/templates";
import type { TemplateCreate, ZoneTemplate } from "../api/templates";
import { asOutcome, useChange } from "../hooks/useChange";
import { soaBody, soaDraft, soaEmpty, soaPlaceholders } from "../lib/soa";
import { errorPlace, fromRows, splitList, toRows, ttlValue } from "../lib/templateRows";
import type { RecordRow } from "../lib/templateRows";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { SoaFieldsEditor } from "./SoaFieldsEditor";
import { TemplateRecordsEditor } from "./TemplateRecordsEditor";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";

const SOA_EDIT_HINTS: Record<string, string> = {
  DEFAULT: "The serial goes up on every change (PowerDNS's default).",
  INCREASE: "The serial goes up by one on every change.",
  EPOCH: "The serial becomes the time of the change (seconds since 1970).",
  "SOA-EDIT": "The zone's SOA-EDIT setting decides.",
  "SOA-EDIT-INCREASE": "SOA-EDIT, and at least one more than before.",
  OFF: "The serial is not changed by API edits.",
};

// The form's own fields; any other field a 422 names is shown at the top of the form.
const FORM_FIELDS = ["name", "description", "default_ttl", "nameservers", "soa_edit_api"];

interface Props {
  /** The template being edited; absent to create one. */
  template?: ZoneTemplate;
  onClose: () => void;
}

/** Create or edit a zone template: its settings and its records, as editable rows. */
export function TemplateDialog({ template, onClose }: Props) {
  const [name, setName] = useState(template?.name ?? "");
  const [description, setDescription] = useState(template?.description ?? "");
  const [defaultTtl, setDefaultTtl] = useState(String(template?.default_ttl ?? 3600));
  const [nameservers, setNameservers] = useState(template?.nameservers.join("\n") ?? "");
  const [soaEditApi, setSoaEditApi] = useState(template?.soa_edit_api ?? "DEFAULT");
  const [soa, setSoa] = useState(() => soaDraft(template?.soa));
  const [soaOpen, setSoaOpen] = useState(() => !soaEmpty(soaDraft(template?.soa)));
  // The placeholders' defaults are read once the SOA section is opened.
  const soaDefaults = useQuery({
    queryKey: keys.soaDefaults,
    queryFn: readSoaDefaults,
    enabled: soaOpen,
  });
  const [rows, setRows] = useState<RecordRow[]>(() => toRows(template?.records ?? []));
  // The key of the row each sent record came from, to put a 422 on the right row.
  const [sentRows, setSentRows] = useState<number[]>([]);
  const title = template ? `Update template ${template.name}` : `Create template ${name.trim()}`;
  const change = useChange<TemplateCreate>({
    run: (body) =>
      asOutcome(title, () => (template ? updateTemplate(template.id, body) : createTemplate(body))),
    title: () => title,
    invalidate: [keys.templates],
    fieldsInForm: true,
    onSuccess: onClose,
  });
  const error = change.error;
  const place = errorPlace(error, sentRows);
  const at = (field: string) =>
    place && place.row === undefined && place.field === field ? place.message : undefined;
  const placed =
    place !== null &&
    (place.row !== undefined ||
      [...FORM_FIELDS, "records"].includes(place.field) ||
      place.field.startsWith("soa."));
  const general = error && !placed ? error.message : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    const { records, rowOf } = fromRows(rows);
    setSentRows(rowOf);
    change.mutate({
      name: name.trim(),
      description: description.trim(),
      default_ttl: ttlValue(defaultTtl) ?? 3600,
      nameservers: splitList(nameservers),
      soa_edit_api: soaEditApi,
      // All fields empty: no SOA of its own (an edit then clears the template's).
      soa: soaBody(soa),
      records,
    });
  }

  return (
    <Modal
      title={template ? `Edit template ${template.name}` : "Create template"}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate>
        <Field label="Template name" error={at("name")}>
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Description" error={at("description")}>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <div className="field-row">
          <Field
            label="Default TTL (seconds)"
            hint="For records without their own TTL"
            error={at("default_ttl")}
          >
            <input
              inputMode="numeric"
              value={defaultTtl}
              onChange={(e) => setDefaultTtl(e.target.value)}
            />
          </Field>
          <Field label="SOA-EDIT-API" hint={SOA_EDIT_HINTS[soaEditApi]} error={at("soa_edit_api")}>
            <select value={soaEditApi} onChange={(e) => setSoaEditApi(e.target.value)}>
              {SOA_EDIT_API.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </Field>
        </div>
        <Field
          label="Name servers"
          hint="Host names for the apex NS records, unless the new zone lists its own"
          error={at("nameservers")}
        >
          <textarea rows={2} value={nameservers} onChange={(e) => setNameservers(e.target.value)} />
        </Field>
        <details
          className="soa-section"
          open={soaOpen}
          onToggle={(e) => setSoaOpen(e.currentTarget.open)}
        >
          <summary>SOA of zones made from it (optional: empty fields use Settings)</summary>
          <SoaFieldsEditor
            value={soa}
            onChange={setSoa}
            placeholders={soaPlaceholders(soaDefaults.data)}
            error={error}
            prefix="soa."
          />
        </details>
        <fieldset className="template-records-set">
          <legend>Records</legend>
          <p className="field-hint">
            Names are “@” for the zone itself or relative (“www”, “_dmarc”). Host names in the
            content without a trailing dot are relative too: “10 mail” becomes “10
            mail.example.com.”.
          </p>
          {at("records") && (
            <p className="field-error" role="alert">
              {at("records")}
            </p>
          )}
          <TemplateRecordsEditor
            rows={rows}
            onChange={setRows}
            error={place?.row !== undefined ? place : null}
            defaultTtl={defaultTtl}
          />
        </fieldset>
        <FormError message={general} />
        <DialogActions
          onCancel={onClose}
          label={template ? "Save template" : "Create template"}
          pending={change.isPending}
        />
      </form>
    </Modal>
  );
}
