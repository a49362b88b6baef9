import { useMemo, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { applyBulk, planBulk } from "../api/bulk";
import type { BulkPlan } from "../api/bulk";
import { keys } from "../api/keys";
import { useChange } from "../hooks/useChange";
import { CSV_COLUMNS, CSV_EXAMPLE, bulkInput, rowErrors, sourceLookup } from "../lib/bulk";
import { Field } from "./Field";
import { PlanList } from "./PlanList";
import { FormError } from "./FormError";

/** Rows listed at most; the count above the list is always complete. */
const MAX_LISTED = 500;

/** The message to show inline: errors the outcome notice does not already report. */
function inlineMessage(error: Error | null): string | undefined {
  if (!error || rowErrors(error)) return undefined;
  return error instanceof ApiError && error.outcome ? undefined : error.message;
}

/** Paste or load CSV or JSON operations, validate them (all row errors at once), apply. */
export function BulkEditor({ zone }: { zone: string }) {
  const [text, setText] = useState("");
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  const validate = useMutation({
    mutationFn: () => planBulk(zone, bulkInput(text)),
    retry: false,
    onSuccess: setPlan,
  });
  const apply = useChange<void>({
    run: () => applyBulk(zone, bulkInput(text)),
    title: () => `Bulk change in ${zone}`,
    invalidate: [keys.records(zone), keys.zone(zone), keys.versions(zone)],
    fieldsInForm: true,
    onSuccess: () => {
      setText("");
      setPlan(null);
      validate.reset();
    },
  });
  const rows = useMemo(
    () => rowErrors(validate.error) ?? rowErrors(apply.error),
    [validate.error, apply.error],
  );
  const source = useMemo(() => (rows ? sourceLookup(text) : () => undefined), [rows, text]);
  const message = inlineMessage(validate.error) ?? inlineMessage(apply.error);
  const p = plan?.plan;
  const empty = p !== undefined && p.adds + p.changes + p.deletes === 0;

  function edit(value: string) {
    setText(value);
    setPlan(null);
    validate.reset();
    apply.reset();
  }

  async function load(file: File | undefined) {
    if (file) edit(await file.text());
  }

  return (
    <div className="bulk-editor">
      <details className="bulk-help">
        <summary>Format</summary>
        <p>
          CSV with a header row <code>{CSV_COLUMNS.join(",")}</code>, or JSON: a list of objects
          with the same keys. Names are relative to the zone (<code>www</code>, <code>@</code>) or
          absolute; content is written as in a zone file.
        </p>
        <ul>
          <li>
            <code>add</code>: <code>content</code> is required; <code>ttl</code> defaults to 3600.
          </li>
          <li>
            <code>update</code>: replaces <code>old_content</code> with <code>content</code>;
            without <code>ttl</code> the RRset keeps its TTL.
          </li>
          <li>
            <code>delete</code>: removes the record with <code>content</code>, or the whole RRset
            when <code>content</code> is empty.
          </li>
        </ul>
        <p>
          Operations apply in order. All rows are checked first; one invalid row and nothing is
          applied. Each server gets one atomic change.
        </p>
        <pre className="bulk-example">{CSV_EXAMPLE}</pre>
      </details>
      <Field label="Operations" hint="CSV or JSON; row numbers are CSV lines (header = 1)">
        <textarea
          rows={10}
          value={text}
          spellCheck={false}
          className="mono"
          placeholder={CSV_EXAMPLE}
          onChange={(e) => edit(e.target.value)}
        />
      </Field>
      <Field label="Or load a file">
        <input
          type="file"
          accept=".csv,.json,text/csv,application/json,text/plain"
          onChange={(e) => load(e.target.files?.[0])}
        />
      </Field>
      <FormError message={message} />
      {rows && (
        <div className="bulk-errors" role="alert" data-testid="bulk-errors">
          <p className="form-error">
            {rows.length === 1 ? "1 invalid row" : `${rows.length} invalid rows`}; nothing was
            applied.
          </p>
          <ul>
            {rows.slice(0, MAX_LISTED).map((e) => {
              const line = source(e.row);
              return (
                <li key={`${e.row}-${e.field}`}>
                  <strong>Row {e.row}</strong> ({e.field}): {e.message}
                  {line !== undefined && <code className="bulk-source">{line}</code>}
                </li>
              );
            })}
          </ul>
          {rows.length > MAX_LISTED && (
            <p className="muted">Only the first {MAX_LISTED} invalid rows are listed.</p>
          )}
        </div>
      )}
      {plan && p && (
        <div data-testid="bulk-plan">
          <p>
            {`${plan.operations} operations valid (${plan.counts.add} add, ${plan.counts.update} update, ${plan.counts.delete} delete). `}
            {empty
              ? "Nothing to change: the zone already has this content."
              : `${p.adds} RRsets added, ${p.changes} changed, ${p.deletes} deleted.`}
          </p>
          <PlanList plan={p} />
        </div>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="button-secondary"
          disabled={!text.trim() || validate.isPending}
          onClick={() => validate.mutate()}
        >
          {validate.isPending ? "Validating…" : "Validate"}
        </button>
        <button
          type="button"
          disabled={!p || empty || apply.isPending}
          onClick={() => apply.mutate()}
        >
          {apply.isPending ? "Applying…" : "Apply"}
        </button>
      </div>
    </div>
  );
}
