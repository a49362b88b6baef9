import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readPolicy, setPolicy } from "../api/sync";
import type { Policy } from "../api/sync";
import { asOutcome, useChange } from "../hooks/useChange";

const POLICIES: { value: Policy; label: string; text: string }[] = [
  {
    value: "retry",
    label: "Retry later (default)",
    text: "Servers that fail get the change queued; DNSMate replays it, in order, when they answer again. You see an amber 207.",
  },
  {
    value: "report",
    label: "Report only",
    text: "The change stays where it succeeded and nothing is queued: you repair the others yourself.",
  },
  {
    value: "rollback",
    label: "All or nothing",
    text: "If any server fails, the change is undone where it succeeded and you get a red 400.",
  },
];

/** What DNSMate does when a change fails on some servers only. */
export function PolicyPicker() {
  const policy = useQuery({ queryKey: keys.policy, queryFn: readPolicy });
  const change = useChange<Policy>({
    run: (value) => asOutcome(`Partial-failure policy: ${value}`, () => setPolicy(value)),
    title: (value) => `Partial-failure policy: ${value}`,
    invalidate: [keys.policy],
  });
  const current = policy.data?.on_partial_failure;
  return (
    <fieldset className="checks policy">
      <legend>When a change fails on some servers</legend>
      {POLICIES.map((p) => (
        <label key={p.value} className="policy-option">
          <input
            type="radio"
            name="partial-failure-policy"
            value={p.value}
            checked={current === p.value}
            disabled={!policy.data || change.isPending}
            onChange={() => change.mutate(p.value)}
          />
          <span>
            <strong>{p.label}</strong>
            <span className="field-hint"> {p.text}</span>
          </span>
        </label>
      ))}
      {policy.error && <p className="field-error">{policy.error.message}</p>}
    </fieldset>
  );
}
