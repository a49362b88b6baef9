import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { toOutcome } from "../../api/client";
import type { ServerOutcome } from "../../api/types";
import { OutcomeNotice } from "../OutcomeNotice";

const servers: ServerOutcome[] = [
  { server: "Primary PowerDNS", success: true, error: null, duration_ms: 4, skipped: false },
  {
    server: "Secondary PowerDNS",
    success: false,
    error: "PowerDNS unreachable",
    duration_ms: 3,
    skipped: false,
  },
];

describe("OutcomeNotice", () => {
  it("shows a 207 as an amber partial success listing the failed servers", () => {
    const outcome = toOutcome(
      207,
      {
        name: "www.example.com",
        message: "Record created on 1/2 servers",
        success_servers: ["Primary PowerDNS"],
        failed_servers: ["Secondary PowerDNS: PowerDNS unreachable"],
        partial_success: true,
        servers,
      },
      "Add A record www",
    );
    expect(outcome?.kind).toBe("partial");
    render(<OutcomeNotice outcome={outcome!} />);

    const notice = screen.getByRole("alert");
    expect(notice).toHaveClass("outcome-partial");
    expect(notice).not.toHaveClass("outcome-success");
    expect(notice).toHaveTextContent("partial success, 1 of 2 servers");
    expect(notice).toHaveTextContent("Succeeded on: Primary PowerDNS");
    const failed = within(notice).getByRole("list");
    expect(
      within(failed)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Secondary PowerDNS: PowerDNS unreachable"]);
  });

  it("shows all servers succeeded in green", () => {
    const outcome = toOutcome(
      201,
      { servers: servers.map((s) => ({ ...s, success: true, error: null })) },
      "Create zone example.com",
    );
    render(<OutcomeNotice outcome={outcome!} />);
    const notice = screen.getByRole("status");
    expect(notice).toHaveClass("outcome-success");
    expect(notice).toHaveTextContent("done on 2 servers");
    expect(notice).toHaveTextContent("Applied on: Primary PowerDNS, Secondary PowerDNS");
  });

  it("shows a 400 in red listing every error", () => {
    const outcome = toOutcome(
      400,
      {
        message: "Failed to create record on all PowerDNS servers",
        errors: ["Primary PowerDNS: timed out", "Secondary PowerDNS: refused"],
        servers,
      },
      "Add A record www",
    );
    expect(outcome?.kind).toBe("failure");
    render(<OutcomeNotice outcome={outcome!} />);
    const notice = screen.getByRole("alert");
    expect(notice).toHaveClass("outcome-failure");
    expect(notice).toHaveTextContent("Failed to create record on all PowerDNS servers");
    expect(within(notice).getAllByRole("listitem")).toHaveLength(2);
  });

  it("shows a 202 queued change in amber, never as success", () => {
    const outcome = toOutcome(
      202,
      {
        message: "Record created on 0/2 servers",
        success_servers: [],
        failed_servers: [],
        queued_servers: ["Primary PowerDNS", "Secondary PowerDNS"],
        partial_success: true,
      },
      "Add A record www",
    );
    expect(outcome?.kind).toBe("partial");
    render(<OutcomeNotice outcome={outcome!} />);
    const notice = screen.getByRole("alert");
    expect(notice).toHaveClass("outcome-partial");
    expect(notice).toHaveTextContent("queued, not applied on any server yet");
    expect(notice).toHaveTextContent(
      "Queued for automatic retry on: Primary PowerDNS, Secondary PowerDNS",
    );
  });

  it("does not treat an error body without per-server results as an outcome", () => {
    expect(toOutcome(422, { message: "bad", field: "content" }, "x")).toBeNull();
  });
});
