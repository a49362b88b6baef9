import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { deleteMatching, previewDelete } from "../api/bulk";
import type { DeletePreview } from "../api/bulk";
import { keys } from "../api/keys";
import { useChange } from "../hooks/useChange";
import { TYPE_NAMES } from "../lib/recordTypes";
import { ConfirmDialog } from "./ConfirmDialog";
import { Field } from "./Field";
import { FormError } from "./FormError";

interface Props {
  zone: string;
  /** The servers the delete goes to, when known. */
  servers?: string[];
}

const plural = (n: number) => (n === 1 ? "1 RRset" : `${n.toLocaleString("en")} RRsets`);

/** Delete every RRset matching a name pattern (and a type): preview, confirm, outcome. */
export function BulkDeleteFilter({ zone, servers }: Props) {
  const [name, setName] = useState("");
  const [type, setType] = useState("");
  const [preview, setPreview] = useState<DeletePreview | null>(null);
  const [confirming, setConfirming] = useState(false);
  const check = useMutation({
    mutationFn: () => previewDelete(zone, name.trim(), type),
    retry: false,
    onSuccess: setPreview,
  });
  const remove = useChange<void>({
    run: () => deleteMatching(zone, name.trim(), type),
    title: () => `Delete ${name.trim()} ${type} in ${zone}`,
    invalidate: [keys.records(zone), keys.zone(zone), keys.versions(zone)],
    onSuccess: () => setPreview(null),
  });

  function change(update: () => void) {
    update();
    setPreview(null);
    check.reset();
  }

  const what = `${name.trim()}${type ? ` (${type})` : ""}`;
  return (
    <div className="bulk-delete">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) check.mutate();
        }}
      >
        <Field label="Name pattern" hint="* and ? wildcards, e.g. *.dev or old-*">
          <input value={name} onChange={(e) => change(() => setName(e.target.value))} />
        </Field>
        <Field label="Record type">
          <select value={type} onChange={(e) => change(() => setType(e.target.value))}>
            <option value="">Any type</option>
            {TYPE_NAMES.filter((t) => t !== "SOA").map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        <button
          type="submit"
          className="button-secondary"
          disabled={!name.trim() || check.isPending}
        >
          {check.isPending ? "Matching…" : "Preview"}
        </button>
      </form>
      <FormError message={check.error?.message} />
      {preview && (
        <div data-testid="delete-preview">
          <p>
            {preview.matched === 0
              ? `Nothing matches ${what}.`
              : `${plural(preview.matched)} match ${what}` +
                (preview.truncated
                  ? ` (the first ${preview.rrsets.length} are listed).`
                  : ".")}{" "}
            The SOA and the apex NS never match.
          </p>
          <ul className="plan-list">
            {preview.rrsets.map((r) => (
              <li key={`${r.name}-${r.type}`}>
                <span className="plan-delete">−</span> {r.name} {r.type}{" "}
                {r.records.map((x) => x.content).join(", ")}
              </li>
            ))}
          </ul>
          {preview.matched > 0 && (
            <div className="dialog-actions">
              <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
                Delete {plural(preview.matched)}…
              </button>
            </div>
          )}
        </div>
      )}
      {confirming && preview && (
        <ConfirmDialog
          title={`Delete ${plural(preview.matched)} from ${zone}?`}
          confirmLabel={`Delete ${plural(preview.matched)}`}
          busy={remove.isPending}
          onConfirm={() => remove.mutate(undefined, { onSettled: () => setConfirming(false) })}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Every RRset matching <strong>{what}</strong> is deleted in one atomic change per server.
            The pattern is matched again when deleting, so RRsets added since the preview are
            included.
          </p>
          {servers && servers.length > 0 && <p>They will be removed from: {servers.join(", ")}.</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
