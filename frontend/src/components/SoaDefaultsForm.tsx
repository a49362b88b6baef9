import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { formError } from "../api/client";
import { keys } from "../api/keys";
import { readSoaDefaults, setSoaDefaults } from "../api/soa";
import type { SoaDefaults, SoaFields } from "../api/soa";
import { asOutcome, useChange } from "../hooks/useChange";
import { soaBody, soaDraft } from "../lib/soa";
import type { SoaKey } from "../lib/soa";
import { FormError } from "./FormError";
import { SoaFieldsEditor } from "./SoaFieldsEditor";

/** Settings > Zone defaults: the SOA every new zone starts with. */
export function SoaDefaultsForm() {
  const defaults = useQuery({ queryKey: keys.soaDefaults, queryFn: readSoaDefaults });
  if (defaults.error) return <FormError message={defaults.error.message} />;
  if (!defaults.data) return <p className="muted">Loading…</p>;
  return <SoaDefaultsFields current={defaults.data} />;
}

/** The built-in default of each field, as the placeholder of an empty one. */
export function builtinPlaceholders(current: SoaDefaults): Partial<Record<SoaKey, string>> {
  return Object.fromEntries(
    Object.entries(current.builtin).map(([k, v]) => [k, `Default: ${String(v)}`]),
  );
}

function SoaDefaultsFields({ current }: { current: SoaDefaults }) {
  const [draft, setDraft] = useState(soaDraft(current));
  const change = useChange<SoaFields>({
    run: (fields) => asOutcome("Zone defaults saved", () => setSoaDefaults(fields)),
    title: () => "Save zone defaults",
    invalidate: [keys.soaDefaults],
    fieldsInForm: true,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(soaBody(draft));
  }

  return (
    <form onSubmit={submit} noValidate className="retention-form">
      <p className="field-hint">
        New zones (created here, from a template or through the PowerDNS-compatible API) start with
        this SOA; a template or the zone's own form can change any field. Empty fields use the
        built-in default shown.
      </p>
      <SoaFieldsEditor
        value={draft}
        onChange={setDraft}
        placeholders={builtinPlaceholders(current)}
        error={change.error}
      />
      <FormError message={formError(change.error)} />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? "Saving…" : "Save zone defaults"}
      </button>
    </form>
  );
}
