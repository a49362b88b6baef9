import type { Outcome } from "../api/types";

interface Props {
  outcome: Outcome;
  onDismiss?: () => void;
}

const ICON = { success: "✓", partial: "⚠", failure: "✕" } as const;

function heading(outcome: Outcome): string {
  const total = outcome.succeeded.length + outcome.failures.length;
  switch (outcome.kind) {
    case "success":
      return outcome.succeeded.length > 0
        ? `${outcome.title}: done on ${plural(outcome.succeeded.length, "server")}`
        : `${outcome.title}: done`;
    case "partial":
      return outcome.succeeded.length === 0
        ? `${outcome.title}: queued, not applied on any server yet`
        : `${outcome.title}: partial success, ${outcome.succeeded.length} of ${total} servers`;
    case "failure":
      return `${outcome.title}: failed`;
  }
}

function plural(n: number, word: string): string {
  return n === 1 ? `${n} ${word}` : `${n} ${word}s`;
}

/** The outcome of one change across the PowerDNS servers: green, amber (207) or red. */
export function OutcomeNotice({ outcome, onDismiss }: Props) {
  const { kind } = outcome;
  return (
    <div
      className={`outcome outcome-${kind}`}
      role={kind === "success" ? "status" : "alert"}
      data-outcome={kind}
    >
      <div className="outcome-head">
        <span className="outcome-icon" aria-hidden="true">
          {ICON[kind]}
        </span>
        <strong>{heading(outcome)}</strong>
        {onDismiss && (
          <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss">
            ×
          </button>
        )}
      </div>
      {kind !== "success" && outcome.message && (
        <p className="outcome-message">{outcome.message}</p>
      )}
      {outcome.succeeded.length > 0 && (
        <p className="outcome-servers">
          {kind === "success" ? "Applied on: " : "Succeeded on: "}
          {outcome.succeeded.join(", ")}
        </p>
      )}
      {(outcome.queued?.length ?? 0) > 0 && (
        <p className="outcome-servers">
          Queued for automatic retry on: {outcome.queued!.join(", ")}
        </p>
      )}
      {(outcome.skipped?.length ?? 0) > 0 && (
        <p className="outcome-servers">Not contacted: {outcome.skipped!.join(", ")}</p>
      )}
      {(outcome.rolledBack?.length ?? 0) > 0 && (
        <p className="outcome-servers">Rolled back on: {outcome.rolledBack!.join(", ")}</p>
      )}
      {(outcome.notes ?? []).map((note) => (
        <p key={note} className="outcome-servers outcome-note">
          {note}
        </p>
      ))}
      {outcome.failures.length > 0 && (
        <div>
          <p className="outcome-label">{kind === "partial" ? "Failed servers:" : "Errors:"}</p>
          <ul className="outcome-failures">
            {outcome.failures.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
