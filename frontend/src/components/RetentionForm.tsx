import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { readVersionSettings, setVersionSettings } from "../api/versions";
import type { RetentionValues, VersionSettings } from "../api/versions";
import { asOutcome, useChange } from "../hooks/useChange";
import { Field } from "./Field";
import { FormError } from "./FormError";

/** Empty means "the default"; anything else is sent as a number (the server validates it). */
const parse = (text: string): number | null => (text.trim() === "" ? null : Number(text));
const shown = (value: number | null): string => (value === null ? "" : String(value));

/** How many versions of each zone DNSMate keeps, and for how long. */
export function RetentionForm() {
  const settings = useQuery({ queryKey: keys.versionSettings, queryFn: readVersionSettings });
  if (settings.error) {
    return <FormError message={settings.error.message} />;
  }
  if (!settings.data) return <p className="muted">Loading…</p>;
  return <RetentionFields current={settings.data} />;
}

function RetentionFields({ current }: { current: VersionSettings }) {
  const [perZone, setPerZone] = useState(shown(current.stored.max_per_zone));
  const [ageDays, setAgeDays] = useState(shown(current.stored.max_age_days));
  const change = useChange<RetentionValues>({
    run: (values) => asOutcome("Version retention saved", () => setVersionSettings(values)),
    title: () => "Save version retention",
    invalidate: [keys.versionSettings],
    fieldsInForm: true,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({ max_per_zone: parse(perZone), max_age_days: parse(ageDays) });
  }

  return (
    <form onSubmit={submit} noValidate className="retention-form">
      <p className="field-hint">
        In force: the newest {current.max_per_zone} versions of each zone, none older than{" "}
        {current.max_age_days} days (the newest version is always kept). Older versions are removed
        in the background.
      </p>
      <Field
        label="Versions kept per zone"
        hint={`Empty: the default, ${current.defaults.max_per_zone} (DNSMATE_VERSION_MAX_PER_ZONE)`}
        error={fieldError(change.error, "max_per_zone")}
      >
        <input
          type="number"
          min={1}
          inputMode="numeric"
          value={perZone}
          onChange={(e) => setPerZone(e.target.value)}
        />
      </Field>
      <Field
        label="Maximum age in days"
        hint={`Empty: the default, ${current.defaults.max_age_days} (DNSMATE_VERSION_MAX_AGE_DAYS)`}
        error={fieldError(change.error, "max_age_days")}
      >
        <input
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          value={ageDays}
          onChange={(e) => setAgeDays(e.target.value)}
        />
      </Field>
      <FormError message={formError(change.error)} />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? "Saving…" : "Save retention"}
      </button>
    </form>
  );
}
