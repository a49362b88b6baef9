// Mirrors dnsmate/services/write/multi_powerdns.py select_targets, for explaining it on screen.

export interface TargetInput {
  name: string;
  is_default: boolean;
  is_active: boolean;
  multi_server_mode: boolean;
}

export type TargetPlan =
  | { mode: "multi"; servers: string[] }
  | { mode: "default"; servers: string[] }
  | { mode: "none"; servers: [] };

/** Which servers a write goes to now: active multi-mode servers, else the default alone. */
export function writeTargets(servers: TargetInput[]): TargetPlan {
  const multi = servers.filter((s) => s.is_active && s.multi_server_mode);
  if (multi.length > 0) {
    const sorted = [...multi].sort((a, b) => Number(b.is_default) - Number(a.is_default));
    return { mode: "multi", servers: sorted.map((s) => s.name) };
  }
  const fallback = servers.find((s) => s.is_default);
  if (fallback && fallback.is_active) return { mode: "default", servers: [fallback.name] };
  return { mode: "none", servers: [] };
}
