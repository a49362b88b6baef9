import { useQuery } from "@tanstack/react-query";
import { readMe } from "../api/auth";
import { keys } from "../api/keys";
import { listServers, powerdnsStats, serverStats, serversHealth } from "../api/servers";
import type { StatsWindow } from "../api/types";

/** Health of every server, re-checked every 10 s while the page is open. */
export const HEALTH_POLL_MS = 10_000;

/** Operation statistics are refreshed every 30 s while the dashboard is open. */
export const STATS_POLL_MS = 30_000;

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: readMe, staleTime: 60_000 });
}

export function useServers() {
  return useQuery({ queryKey: keys.servers, queryFn: listServers });
}

export function useHealth() {
  return useQuery({
    queryKey: keys.health,
    queryFn: serversHealth,
    refetchInterval: HEALTH_POLL_MS,
  });
}

export function useServerStats(window: StatsWindow) {
  return useQuery({
    queryKey: keys.serverStats(window),
    queryFn: () => serverStats(window),
    refetchInterval: STATS_POLL_MS,
  });
}

/** PowerDNS's own figures per server, refreshed with the health. */
export function usePowerDNSStats() {
  return useQuery({
    queryKey: keys.powerdnsStats,
    queryFn: powerdnsStats,
    refetchInterval: HEALTH_POLL_MS,
  });
}
