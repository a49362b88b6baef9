import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRecord } from "../../api/records";
import { renderWithProviders } from "../../test/render";
import { useChange } from "../useChange";

function AddButton() {
  const change = useChange({
    run: () =>
      createRecord("example.com", { name: "www", type: "A", content: "192.0.2.1", ttl: 300 }),
    title: () => "Add A record www",
    invalidate: [],
  });
  return (
    <button type="button" onClick={() => change.mutate(undefined)}>
      Add
    </button>
  );
}

function respond(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status }));
}

afterEach(() => vi.unstubAllGlobals());

describe("useChange", () => {
  it("shows a 207 answer as the amber notice and sends the write once", async () => {
    const fetchMock = respond(207, {
      message: "Record created on 1/2 servers",
      success_servers: ["Primary PowerDNS"],
      failed_servers: ["Secondary PowerDNS: PowerDNS unreachable"],
      partial_success: true,
    });
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<AddButton />);
    await userEvent.click(screen.getByRole("button", { name: "Add" }));

    const notice = await screen.findByRole("alert");
    expect(notice).toHaveClass("outcome-partial");
    expect(notice).toHaveTextContent("Secondary PowerDNS: PowerDNS unreachable");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("shows a 400 in red and never retries the write", async () => {
    const fetchMock = respond(400, {
      message: "Failed to create record on all PowerDNS servers",
      errors: ["Primary PowerDNS: PowerDNS unreachable"],
    });
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<AddButton />);
    await userEvent.click(screen.getByRole("button", { name: "Add" }));

    const notice = await screen.findByRole("alert");
    expect(notice).toHaveClass("outcome-failure");
    expect(notice).toHaveTextContent("Primary PowerDNS: PowerDNS unreachable");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
