// Hand-written mirrors of DNSMate's pydantic schemas (dnsmate/schemas/*.py) and of the
// multi-server result bodies built by dnsmate/api/results.py.

/** schemas/auth.py UserPublic */
export interface User {
  id: number;
  email: string;
  role: string;
  is_active: boolean;
}

/** schemas/auth.py Token */
export interface Token {
  access_token: string;
  token_type: string;
}

/** A new TOTP secret; two-factor login is on only after it is enabled with a code. */
export interface TwoFactorSetup {
  secret: string;
  otpauth_uri: string;
}

/** schemas/settings.py PowerDNSSettingsPublic (never carries the API key) */
export interface PowerDNSServer {
  id: number;
  name: string;
  api_url: string;
  server_id: string;
  is_default: boolean;
  is_active: boolean;
  multi_server_mode: boolean;
  timeout_seconds: number;
  verify_ssl: boolean;
  created_at: string;
  updated_at: string;
}

/** schemas/settings.py PowerDNSSettingsCreate (api_key is write-only) */
export interface PowerDNSServerCreate {
  name: string;
  api_url: string;
  api_key: string;
  server_id?: string;
  is_default?: boolean;
  is_active?: boolean;
  multi_server_mode?: boolean;
  timeout_seconds?: number;
  verify_ssl?: boolean;
}

/** schemas/settings.py PowerDNSSettingsUpdate: omitted fields (and api_key) stay */
export type PowerDNSServerUpdate = Partial<PowerDNSServerCreate>;

/** schemas/settings.py ServerHealth */
export interface ServerHealth {
  id: number;
  name: string;
  healthy: boolean;
  latency_ms: number | null;
  version: string | null;
  error: string | null;
  is_default: boolean;
  is_active: boolean;
  multi_server_mode: boolean;
}

/** schemas/stats.py OperationStats */
export interface OperationStats {
  operations: number;
  failed: number;
  /** ok / operations; null without operations */
  success_rate: number | null;
  /** estimated 95th percentile latency; null without timed operations */
  p95_ms: number | null;
}

export type StatsWindow = "1h" | "24h";

/** schemas/stats.py ServerStats */
export interface ServerStats extends OperationStats {
  server_id: number;
  name: string;
  /** read, write, replay, health: only kinds with operations */
  by_kind: Record<string, OperationStats>;
}

/** schemas/stats.py ServerStatsPublic */
export interface ServerStatsResponse {
  window: StatsWindow;
  minutes: number;
  servers: ServerStats[];
}

/** schemas/zones.py ZonePublic */
export interface Zone {
  name: string;
  kind: string | null;
  serial: number | null;
  dnssec: boolean;
  account: string;
  masters: string[];
}

/** GET /api/zones/{zone}: services/zones.py get_zone */
export interface ZoneDetail extends Zone {
  nameservers: string[];
  /** The servers a write to this zone goes to now. */
  servers: string[];
}

/** schemas/zones.py ZoneCreate */
export interface ZoneCreate {
  name: string;
  kind: string;
  nameservers: string[];
  masters?: string[];
  /** Start with this template's records, name servers (unless listed) and SOA-EDIT-API. */
  template_id?: number | null;
}

/** schemas/records.py RecordPublic */
export interface DnsRecord {
  name: string;
  type: string;
  content: string;
  ttl: number;
  disabled: boolean;
}

/** schemas/records.py RecordCreate */
export interface RecordCreate {
  name: string;
  type: string;
  content: string;
  ttl: number;
}

/** schemas/records.py RecordUpdate */
export interface RecordUpdate {
  old_content: string;
  content: string;
  ttl?: number | null;
}

/** ZonesPublic / RecordsPublic */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

/** services/multi_powerdns.py ServerResult.public() */
export interface ServerOutcome {
  server: string;
  success: boolean;
  error: string | null;
  duration_ms: number;
}

/** The body of any multi-server write (201/200, 207 or 400/404/409), keys at top level. */
export interface MultiBody {
  message?: string;
  servers?: ServerOutcome[];
  success_servers?: string[];
  /** 207: "Server name: error" for each failed server */
  failed_servers?: string[];
  partial_success?: boolean;
  /** 400/404/409/422 from a fan-out: "Server name: error" for each server */
  errors?: string[];
  /** Servers the change is queued for (retried later by DNSMate's retry queue). */
  queued_servers?: string[];
  /** Servers not contacted (unhealthy, or behind older queued changes). */
  skipped_servers?: string[];
  /** Under the "rollback" policy: servers where a partial change was undone. */
  rolled_back_servers?: string[];
  [key: string]: unknown;
}

/** How a change ended across the target servers. */
export type OutcomeKind = "success" | "partial" | "failure";

/** What the outcome notification shows for one change. */
export interface Outcome {
  kind: OutcomeKind;
  /** e.g. "Record added" */
  title: string;
  /** HTTP status of the answer (0 when the request never reached DNSMate). */
  status: number;
  message?: string;
  succeeded: string[];
  /** "Server: error" lines: failed_servers (207) or errors (400). */
  failures: string[];
  /** Servers the change is queued for; DNSMate retries it there. */
  queued?: string[];
  /** Servers not contacted. */
  skipped?: string[];
  /** Servers where a partial change was rolled back. */
  rolledBack?: string[];
}

export type Role = "admin" | "editor" | "manager" | "reader";

/** schemas/users.py UserPublic (admin views) */
export interface UserDetail extends User {
  totp_enabled: boolean;
  created_at: string | null;
  /** Zones granted to a manager (empty for the other roles, who see every zone). */
  zones: string[];
}

/** schemas/users.py UserCreate */
export interface UserCreate {
  email: string;
  password: string;
  role: string;
}

/** schemas/users.py UserUpdate: omitted fields stay */
export interface UserUpdate {
  email?: string;
  password?: string;
  role?: string;
  is_active?: boolean;
}

/** schemas/tokens.py ApiTokenPublic */
export interface ApiToken {
  id: number;
  user_id: number;
  name: string;
  prefix: string;
  read_only: boolean;
  zones: string[] | null;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

/** schemas/tokens.py ApiTokenCreate */
export interface ApiTokenCreate {
  name: string;
  expires_at?: string | null;
  read_only: boolean;
  zones?: string[] | null;
}

/** schemas/tokens.py ApiTokenCreated: the secret, in this answer only */
export interface ApiTokenCreated extends ApiToken {
  token: string;
}

/** schemas/versions.py VersionPublic */
export interface ZoneVersion {
  id: number;
  zone: string;
  created_at: string;
  actor: string | null;
  via: string;
  action: string;
  summary: string;
  added: number;
  changed: number;
  deleted: number;
  rrset_count: number;
}
