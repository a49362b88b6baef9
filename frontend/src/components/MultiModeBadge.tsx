/** The seed's indicator: "🌐 Enabled" in purple or "📍 Disabled" in gray. */
export function MultiModeBadge({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <span className="badge badge-multi" title="Multi-server mode on: receives every write">
      🌐 Enabled
    </span>
  ) : (
    <span className="badge badge-single" title="Multi-server mode off">
      📍 Disabled
    </span>
  );
}
