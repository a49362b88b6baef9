import type { ServerState } from "../lib/sync";
import { STATE_LABEL } from "../lib/sync";

const CLASS: Record<ServerState, string> = {
  reference: "badge-default",
  in_sync: "badge-ok",
  drifted: "badge-warn",
  missing: "badge-bad",
  unknown: "badge-muted",
};

/** A zone's (or one server's copy's) sync state as a coloured badge with a text label. */
export function SyncStateBadge({ state }: { state: ServerState }) {
  return (
    <span className={`badge ${CLASS[state]}`} data-state={state}>
      {state === "in_sync" ? "✓ " : state === "reference" ? "" : "● "}
      {STATE_LABEL[state]}
    </span>
  );
}
