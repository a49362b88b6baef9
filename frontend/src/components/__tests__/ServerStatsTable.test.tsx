import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ServerStats } from "../../api/types";
import { formatLatency, formatRate } from "../../lib/stats";
import { ServerStatsTable } from "../ServerStatsTable";

function server(id: number, name: string, ok: number, failed: number, p95: number | null) {
  const operations = ok + failed;
  return {
    server_id: id,
    name,
    operations,
    failed,
    success_rate: operations ? ok / operations : null,
    p95_ms: operations ? p95 : null,
    by_kind: {},
  } satisfies ServerStats;
}

describe("formatRate and formatLatency", () => {
  it("never rounds a failure up to 100 %", () => {
    expect(formatRate(1)).toBe("100 %");
    expect(formatRate(0.9999)).toBe("99.9 %");
    expect(formatRate(0.5)).toBe("50.0 %");
    expect(formatRate(null)).toBe("–");
  });

  it("shows milliseconds and seconds", () => {
    expect(formatLatency(4.25)).toBe("4.3 ms");
    expect(formatLatency(38.4)).toBe("38 ms");
    expect(formatLatency(1250)).toBe("1.3 s");
    expect(formatLatency(null)).toBe("–");
  });
});

describe("ServerStatsTable", () => {
  it("shows each server's last hour and last day side by side", () => {
    render(
      <ServerStatsTable
        hour={[server(1, "Primary", 10, 0, 4.2), server(2, "Secondary", 3, 1, 120)]}
        day={[server(1, "Primary", 50, 0, 5), server(2, "Secondary", 40, 2, 150)]}
      />,
    );

    const secondary = screen.getByRole("row", { name: /Secondary/ });
    const cells = within(secondary)
      .getAllByRole("cell")
      .map((c) => c.textContent);
    expect(cells).toEqual([
      "75.0 %p95 120 ms4 operations, 1 failed",
      "95.2 %p95 150 ms42 operations, 2 failed",
    ]);
    const primary = screen.getByRole("row", { name: /Primary/ });
    expect(within(primary).getAllByRole("cell")[0]).toHaveTextContent("100 %");
  });

  it("shows a server without operations in the last hour as none", () => {
    render(
      <ServerStatsTable
        hour={[server(1, "Primary", 0, 0, null)]}
        day={[server(1, "Primary", 5, 0, 3)]}
      />,
    );

    const cells = within(screen.getByRole("row", { name: /Primary/ })).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual([
      "No operations",
      "100 %p95 3.0 ms5 operations",
    ]);
  });

  it("says so when no server had any operation", () => {
    render(
      <ServerStatsTable
        hour={[server(1, "Primary", 0, 0, null)]}
        day={[server(1, "Primary", 0, 0, null)]}
      />,
    );

    expect(screen.getByRole("status")).toHaveTextContent("No operations recorded");
    expect(screen.queryByRole("table")).toBeNull();
  });
});
