import { useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readRecordSettings, setRecordSettings } from "../api/ptr";
import { FormError } from "../components/FormError";
import { SettingsTabs } from "../components/SettingsTabs";
import { asOutcome, useChange } from "../hooks/useChange";

/** Settings > Record defaults: defaults of record changes (automatic PTR upkeep). */
export function RecordSettingsPage() {
  const settings = useQuery({ queryKey: keys.recordSettings, queryFn: readRecordSettings });
  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Record changes</h2>
      <FormError message={settings.error?.message} />
      {settings.data && <AutoPtrForm initial={settings.data.auto_ptr} />}
    </section>
  );
}

function AutoPtrForm({ initial }: { initial: boolean }) {
  const [autoPtr, setAutoPtr] = useState(initial);
  const change = useChange<boolean>({
    run: (value) =>
      asOutcome("Record defaults saved", () => setRecordSettings({ auto_ptr: value })),
    title: () => "Save record defaults",
    invalidate: [keys.recordSettings],
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(autoPtr);
  }

  return (
    <form onSubmit={submit}>
      <fieldset className="checks">
        <legend>Reverse DNS</legend>
        <label>
          <input type="checkbox" checked={autoPtr} onChange={(e) => setAutoPtr(e.target.checked)} />
          Keep PTR records in step by default
        </label>
      </fieldset>
      <p className="field-hint">
        Adding, changing or deleting an A or AAAA record then adds, moves or removes its PTR in the
        reverse zone DNSMate manages for the address (on every server). Each change can still say
        otherwise; an address without a managed reverse zone is named in the change's result.
      </p>
      <button type="submit" disabled={change.isPending}>
        Save
      </button>
    </form>
  );
}
