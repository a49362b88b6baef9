import { describe, expect, it } from "vitest";
import type { ReconcileAnswer, ServerPlan, SyncStatus } from "../../api/sync";
import {
  diffRows,
  filterZones,
  planIsEmpty,
  planSummary,
  reconcileOutcome,
  rrsetText,
  serverCounts,
  serverState,
} from "../sync";

const status: SyncStatus = {
  servers: ["Primary", "Secondary", "Legacy"],
  reference: "Primary",
  unreachable: {},
  deep: false,
  summary: { in_sync: 1, drifted: 1, missing: 1, unknown: 0 },
  duration_ms: 12.3,
  zones: [
    { zone: "a.example", status: "in_sync", missing_on: [], drifted_on: [], checked: "serial" },
    {
      zone: "b.example",
      status: "drifted",
      missing_on: [],
      drifted_on: ["Secondary"],
      checked: "content",
    },
    {
      zone: "c.example",
      status: "missing",
      missing_on: ["Legacy"],
      drifted_on: ["Secondary"],
      checked: "content",
    },
  ],
};

const plan = (over: Partial<ServerPlan>): ServerPlan => ({
  server: "Secondary",
  create_zone: false,
  copy_keys: false,
  creates: [],
  updates: [],
  deletes: [],
  existing_rrsets: 4,
  unsafe: false,
  error: null,
  ...over,
});

describe("sync status", () => {
  it("gives each server's state of a zone, the reference's own copy as reference", () => {
    const [, drifted, missing] = status.zones;
    expect(status.servers.map((s) => serverState(drifted, s, status))).toEqual([
      "reference",
      "drifted",
      "in_sync",
    ]);
    expect(status.servers.map((s) => serverState(missing, s, status))).toEqual([
      "reference",
      "drifted",
      "missing",
    ]);
  });

  it("marks every zone unknown on a server whose zone list could not be read", () => {
    const down = { ...status, unreachable: { Legacy: "connection refused" } };
    expect(serverState(down.zones[0], "Legacy", down)).toBe("unknown");
    expect(serverCounts(down).Legacy).toEqual({ in_sync: 0, drifted: 0, missing: 0, unknown: 3 });
  });

  it("counts per server, the reference's copies as in sync", () => {
    expect(serverCounts(status)).toEqual({
      Primary: { in_sync: 3, drifted: 0, missing: 0, unknown: 0 },
      Secondary: { in_sync: 1, drifted: 2, missing: 0, unknown: 0 },
      Legacy: { in_sync: 2, drifted: 0, missing: 1, unknown: 0 },
    });
  });

  it("filters to problems and by name, ignoring case and a trailing dot", () => {
    const names = (opts: { problemsOnly: boolean; search: string }) =>
      filterZones(status.zones, opts).map((z) => z.zone);
    expect(names({ problemsOnly: true, search: "" })).toEqual(["b.example", "c.example"]);
    expect(names({ problemsOnly: false, search: " C.Example. " })).toEqual(["c.example"]);
    expect(names({ problemsOnly: true, search: "a.ex" })).toEqual([]);
  });
});

describe("diff rows", () => {
  it("puts missing, extra and different RRsets in one name-ordered list, side by side", () => {
    const rows = diffRows({
      server: "Secondary",
      server_id: 2,
      status: "drifted",
      error: null,
      missing: [{ name: "z.example", type: "A", ttl: 300, records: ["192.0.2.3"] }],
      extra: [{ name: "extra.example", type: "TXT", ttl: 60, records: ['"x"'] }],
      different: [
        {
          name: "h0.example",
          type: "A",
          reference: { name: "h0.example", type: "A", ttl: 300, records: ["192.0.2.1"] },
          server: { name: "h0.example", type: "A", ttl: 600, records: ["203.0.113.9"] },
        },
      ],
    });
    expect(rows.map((r) => [r.kind, r.name, r.reference?.ttl, r.server?.ttl])).toEqual([
      ["extra", "extra.example", undefined, 60],
      ["different", "h0.example", 300, 600],
      ["missing", "z.example", 300, undefined],
    ]);
  });

  it("shows an RRset's comments, which can be all that differs", () => {
    const plain = { name: "h1.example", type: "A", ttl: 300, records: ["192.0.2.2"] };
    const noted = { ...plain, comments: [{ content: "added by hand", account: "ops" }] };
    expect(rrsetText(plain)).toBe("192.0.2.2 (TTL 300)");
    expect(rrsetText(noted)).toBe("192.0.2.2 (TTL 300); comments: added by hand (ops)");
  });
});

describe("reconcile", () => {
  it("summarises a server's plan", () => {
    const rrset = { name: "h.example", type: "A", ttl: 300, records: ["192.0.2.1"] };
    expect(planSummary(plan({ creates: [rrset], deletes: [{ name: "x", type: "A" }] }))).toBe(
      "1 created, 1 deleted of 4 RRsets",
    );
    expect(planSummary(plan({}))).toBe("nothing to change");
    expect(planSummary(plan({ create_zone: true }))).toMatch(/zone missing/);
    expect(planSummary(plan({ error: "timed out" }))).toBe("not reachable: timed out");
    expect(planSummary(plan({ copy_keys: true }))).toMatch(/unsigned: .* DNSSEC keys/);
    expect(planIsEmpty(answer([], [plan({ copy_keys: true })]))).toBe(false);
    expect(planIsEmpty(answer([], [plan({})]))).toBe(true);
  });

  const answer = (results: ReconcileAnswer["results"], servers = [plan({})]) =>
    ({
      zone: "b.example",
      source: "Primary",
      safe: true,
      servers,
      dry_run: false,
      applied: true,
      refused: false,
      results,
    }) satisfies ReconcileAnswer;

  it("reports success, partial success and failure per server", () => {
    const ok = { server: "Secondary", success: true, error: null, duration_ms: 2, skipped: false };
    const bad = {
      server: "Legacy",
      success: false,
      error: "HTTP 500",
      duration_ms: 3,
      skipped: false,
    };
    expect(reconcileOutcome(answer([ok]))).toMatchObject({
      kind: "success",
      title: "Reconcile b.example from Primary",
      succeeded: ["Secondary"],
    });
    expect(reconcileOutcome(answer([ok, bad]))).toMatchObject({
      kind: "partial",
      status: 207,
      succeeded: ["Secondary"],
      failures: ["Legacy: HTTP 500"],
    });
    expect(reconcileOutcome(answer([bad]))).toMatchObject({ kind: "failure" });
    // Queued for retry: not lost, so amber rather than red, and the notice names the server.
    expect(reconcileOutcome({ ...answer([bad]), queued_servers: ["Legacy"] })).toMatchObject({
      kind: "partial",
      queued: ["Legacy"],
    });
    expect(reconcileOutcome(answer([]))).toMatchObject({
      kind: "success",
      message: "Nothing to change",
    });
  });

  it("counts a server that could not be planned as failed", () => {
    const down = plan({ server: "Legacy", error: "connection refused" });
    const outcome = reconcileOutcome(
      answer(
        [{ server: "Secondary", success: true, error: null, duration_ms: 2, skipped: false }],
        [plan({}), down],
      ),
    );
    expect(outcome).toMatchObject({ kind: "partial", failures: ["Legacy: connection refused"] });
  });
});
