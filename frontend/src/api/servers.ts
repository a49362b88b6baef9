import { request } from "./client";
import type {
  PowerDNSFigures,
  PowerDNSServer,
  PowerDNSServerAdded,
  PowerDNSServerCreate,
  PowerDNSServerUpdate,
  ServerHealth,
  ServerStatsResponse,
  StatsWindow,
} from "./types";

const BASE = "/settings/powerdns";

export const listServers = () => request<PowerDNSServer[]>("GET", BASE);
export const serversHealth = () => request<ServerHealth[]>("GET", `${BASE}/health`);
export const createServer = (body: PowerDNSServerCreate) =>
  request<PowerDNSServerAdded>("POST", BASE, { body });
export const updateServer = (id: number, body: PowerDNSServerUpdate) =>
  request<PowerDNSServer>("PUT", `${BASE}/${id}`, { body });
export const deleteServer = (id: number) => request<null>("DELETE", `${BASE}/${id}`);
export const testServer = (id: number) => request<ServerHealth>("POST", `${BASE}/${id}/test`);
/** Success rate and p95 latency per server over the last hour or day (all processes). */
export const serverStats = (window: StatsWindow) =>
  request<ServerStatsResponse>("GET", "/servers/stats", { query: { window } });
/** Each server's own figures from PowerDNS's statistics endpoint (uptime, queries, caches). */
export const powerdnsStats = () => request<PowerDNSFigures[]>("GET", "/servers/powerdns-stats");
