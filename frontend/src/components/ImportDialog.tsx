import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { applyImport, planImport } from "../api/zonefiles";
import type { ImportPlan } from "../api/zonefiles";
import { useChange } from "../hooks/useChange";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { PlanList } from "./PlanList";

/** Paste or load a zone file, preview what it changes, then apply it on every target. */
export function ImportDialog({ zone, onClose }: { zone: string; onClose: () => void }) {
  const [text, setText] = useState("");
  const [mode, setMode] = useState<"merge" | "replace">("merge");
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const preview = useMutation({
    mutationFn: () => planImport(zone, text, mode),
    retry: false,
    onSuccess: setPlan,
  });
  const apply = useChange<void>({
    run: () => applyImport(zone, text, mode, plan?.serial ?? null),
    title: () => `Import into ${zone}`,
    invalidate: [keys.records(zone), keys.zone(zone), keys.versions(zone)],
    onSuccess: onClose,
  });
  const p = plan?.plan;
  const empty = p !== undefined && p.adds + p.changes + p.deletes === 0;
  // A parse error names its line (and quotes it): shown under the file, not swallowed.
  const fileError = fieldError(preview.error, "file") ?? fieldError(apply.error, "file");
  const otherError =
    (fileError ? undefined : formError(preview.error)) ??
    fieldError(preview.error, "mode") ??
    formError(apply.error);

  async function load(file: File | undefined) {
    if (file) {
      setText(await file.text());
      setPlan(null);
      preview.reset();
    }
  }

  return (
    <Modal title={`Import into ${zone}`} onClose={onClose}>
      <Field
        label="Zone file"
        hint="BIND format; the SOA is kept as PowerDNS has it"
        error={fileError}
      >
        <textarea
          rows={8}
          value={text}
          spellCheck={false}
          className="mono"
          onChange={(e) => {
            setText(e.target.value);
            setPlan(null);
            preview.reset();
          }}
        />
      </Field>
      <Field label="Or load a file">
        <input
          type="file"
          accept=".zone,.txt,text/plain"
          onChange={(e) => load(e.target.files?.[0])}
        />
      </Field>
      <fieldset className="checks">
        <legend>Mode</legend>
        <label>
          <input
            type="radio"
            name="import-mode"
            checked={mode === "merge"}
            onChange={() => {
              setMode("merge");
              setPlan(null);
            }}
          />
          Merge: add and change RRsets, keep the others
        </label>
        <label>
          <input
            type="radio"
            name="import-mode"
            checked={mode === "replace"}
            onChange={() => {
              setMode("replace");
              setPlan(null);
            }}
          />
          Replace: the zone becomes exactly the file (other RRsets are deleted)
        </label>
      </fieldset>
      {otherError && (
        <p className="form-error" role="alert">
          {otherError}
        </p>
      )}
      {p && (
        <div data-testid="import-plan">
          <p>
            {empty
              ? "Nothing to change: the zone already has this content."
              : `${p.adds} RRsets added, ${p.changes} changed, ${p.deletes} deleted.`}
          </p>
          {plan.notes.length > 0 && (
            <ul className="muted">
              {plan.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          <PlanList plan={p} />
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={!text.trim() || preview.isPending}
          onClick={() => preview.mutate()}
        >
          {preview.isPending ? "Checking…" : "Preview"}
        </button>
        <button
          type="button"
          disabled={!p || empty || apply.isPending}
          onClick={() => apply.mutate()}
        >
          {apply.isPending ? "Importing…" : "Import"}
        </button>
      </div>
    </Modal>
  );
}
