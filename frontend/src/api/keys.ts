// Query keys, in one place so mutations invalidate exactly what they change.
export const keys = {
  me: ["me"] as const,
  myAccount: ["me", "account"] as const,
  servers: ["servers"] as const,
  health: ["servers", "health"] as const,
  serverStats: (window: string) => ["servers", "stats", window] as const,
  zones: ["zones"] as const,
  zone: (zone: string) => ["zones", zone] as const,
  records: (zone: string) => ["records", zone] as const,
  versions: (zone: string) => ["versions", zone] as const,
  dnssec: (zone: string) => ["dnssec", zone] as const,
  users: ["users"] as const,
  tokens: ["tokens"] as const,
  sync: ["sync"] as const,
  audit: ["audit"] as const,
  policy: ["sync", "policy"] as const,
  search: ["search"] as const,
};
