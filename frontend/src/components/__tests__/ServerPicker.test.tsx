import { describe, expect, it } from "vitest";
import type { PowerDNSServer } from "../../api/types";
import { browsed } from "../ServerPicker";

const server = (id: number, name: string, multi: boolean, isDefault = false): PowerDNSServer => ({
  id,
  name,
  api_url: null,
  server_id: "localhost",
  is_default: isDefault,
  is_active: true,
  multi_server_mode: multi,
  lifecycle: "active",
  timeout_seconds: 3,
  verify_ssl: true,
  created_at: "2026-12-04T00:00:00Z",
  updated_at: "2026-12-04T00:00:00Z",
});

const servers = [
  server(1, "Primary", true, true),
  server(2, "Secondary", true),
  server(3, "Legacy", false),
];

describe("browsed", () => {
  it("is read-only for a server that is not a write target", () => {
    expect(browsed(servers, 3)).toEqual({ server: servers[2], readOnly: true });
  });

  it("is writable for a write target and for the write targets as a whole", () => {
    expect(browsed(servers, 2).readOnly).toBe(false);
    expect(browsed(servers, null)).toEqual({ server: undefined, readOnly: false });
  });

  it("follows the default server alone when no server has multi-server mode", () => {
    const single = [server(1, "Primary", false, true), server(3, "Legacy", false)];
    expect(browsed(single, 1).readOnly).toBe(false);
    expect(browsed(single, 3).readOnly).toBe(true);
  });
});
