// The API's types. Request and response bodies come from schema.d.ts, generated from
// DNSMate's OpenAPI document (`make api-types`; `make test` fails when it is stale); the
// names below keep the frontend's vocabulary. Only what the document cannot say (the
// page generic, UI-side outcome summaries) is written by hand.
import type { components } from "./schema";

type Schemas = components["schemas"];

/** Who is logged in (GET /api/auth/me). */
export type User = Schemas["UserSummary"];

export type Token = Schemas["Token"];

/** How people sign in here: password, directory, single sign-on providers. */
export type SignInMethods = Schemas["SignInMethods"];

/** One of your passkeys (no secret: the key stays in the authenticator). */
export type Passkey = Schemas["PasskeyPublic"];

/** WebAuthn options for the browser, and the state to send back with its answer. */
export type PasskeyOptions = Schemas["PasskeyOptions"];

/** One sign-in (or failed attempt) at your account. */
export type SignIn = Schemas["SignInPublic"];

/** A new TOTP secret; two-factor login is on only after it is enabled with a code. */
export type TwoFactorSetup = Schemas["TwoFactorSetup"];

/** A PowerDNS server (never carries the API key). */
export type PowerDNSServer = Schemas["PowerDNSSettingsPublic"];

/** A server just added: `onboarding` says how to onboard it when it is pending; `job` is
 * the onboarding started by `seed_from`. */
export type PowerDNSServerAdded = Schemas["PowerDNSServerAdded"];

/** api_key is write-only */
export type PowerDNSServerCreate = Schemas["PowerDNSSettingsCreate"];

/** Omitted fields (and api_key) stay. */
export type PowerDNSServerUpdate = Schemas["PowerDNSSettingsUpdate"];

export type ServerHealth = Schemas["ServerHealth"];
export type ZoneDrift = Schemas["ZoneDriftPublic"];

export type OperationStats = Schemas["OperationStats"];

export type StatsWindow = "1h" | "24h";

export type ServerStats = Schemas["ServerStats"];

export type ServerStatsResponse = Schemas["ServerStatsPublic"];
export type PowerDNSFigures = Schemas["PowerDNSFigures"];

export type Zone = Schemas["ZonePublic"];

/** GET /api/zones/{zone}: metadata, apex name servers, and the servers writes go to. */
export type ZoneDetail = Schemas["ZoneDetail"];

export type ZoneCreate = Schemas["ZoneCreate"];

export type DnsRecord = Schemas["RecordPublic"];

/** A PowerDNS RRset comment: it belongs to the record's name and type. */
export type RecordComment = Schemas["RecordComment"];

export type RecordCreate = Schemas["RecordCreate"];

export type RecordUpdate = Schemas["RecordUpdate"];

/** ZonesPublic / RecordsPublic */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

/** What one target server did with a change (one entry of `servers`). */
export type ServerOutcome = Schemas["ServerOutcome"];

type WithoutFlag<T> = Omit<T, "partial_success">;
// The 207/202 outcome keys are the same for every resource; the record's partial answer
// without the record's own fields is them.
type PartialKeys = Omit<Schemas["RecordCreatedPartial"], keyof Schemas["RecordPublic"]>;

/** The body of any multi-server write (201/200, 207/202, or 400/404/409/422), keys at top
 * level: the outcome keys of every status (schemas Written, Partial, Failed, RolledBack),
 * each optional since which appear depends on the status, plus the resource's fields. */
export type MultiBody = Partial<
  WithoutFlag<PartialKeys> & Schemas["Failed"] & WithoutFlag<Schemas["RolledBack"]>
> & { partial_success?: boolean; [key: string]: unknown };

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
  /** Follow-up lines, e.g. what automatic PTR upkeep did in the reverse zone. */
  notes?: string[];
}

export type Role = "admin" | "editor" | "manager" | "reader";

/** A user as admins see it. */
export type UserDetail = Schemas["UserPublic"];

export type UserCreate = Schemas["UserCreate"];

/** Omitted fields stay. */
export type UserUpdate = Schemas["UserUpdate"];

export type ApiToken = Schemas["ApiTokenPublic"];

export type ApiTokenCreate = Schemas["ApiTokenCreate"];

/** The secret, in this answer only. */
export type ApiTokenCreated = Schemas["ApiTokenCreated"];
export type DnsUpdateKey = Schemas["DnsUpdateKeyPublic"];
export type DnsUpdateKeyCreate = Schemas["DnsUpdateKeyCreate"];
export type DnsUpdateKeyCreated = Schemas["DnsUpdateKeyCreated"];

export type ZoneVersion = Schemas["VersionPublic"];
