import type { PublicRRset, ZonePlan } from "../api/versions";

const contents = (r: PublicRRset) => r.records.map((x) => x.content).join(", ");

/** The RRset's comment texts, or null when they are not known (older versions). */
const comments = (r: PublicRRset) =>
  r.comments == null ? null : r.comments.map((c) => `“${c.content}”`).join(", ") || "none";

/** " (comments: a → b)" when both sides know their comments and they differ. */
function commentChange(before: PublicRRset, after: PublicRRset) {
  const [was, now] = [comments(before), comments(after)];
  return was !== null && now !== null && was !== now ? ` (comments: ${was} → ${now})` : "";
}

/** The RRsets a rollback or an import adds (+), changes (~) and deletes (−). */
export function PlanList({ plan }: { plan: ZonePlan }) {
  return (
    <>
      <ul className="plan-list">
        {plan.added.map((r) => (
          <li key={`a-${r.name}-${r.type}`}>
            <span className="plan-add">+</span> {r.name} {r.type} {contents(r)}
          </li>
        ))}
        {plan.changed.map((r) => (
          <li key={`c-${r.name}-${r.type}`}>
            <span className="plan-change">~</span> {r.name} {r.type}:{" "}
            {contents(r.before) === contents(r.after)
              ? contents(r.after)
              : `${contents(r.before)} → ${contents(r.after)}`}
            {r.before.ttl !== r.after.ttl && ` (TTL ${r.before.ttl} → ${r.after.ttl})`}
            {commentChange(r.before, r.after)}
          </li>
        ))}
        {plan.deleted.map((r) => (
          <li key={`d-${r.name}-${r.type}`}>
            <span className="plan-delete">−</span> {r.name} {r.type} {contents(r)}
          </li>
        ))}
      </ul>
      {plan.truncated && <p className="muted">Only the first changes are listed.</p>}
    </>
  );
}
