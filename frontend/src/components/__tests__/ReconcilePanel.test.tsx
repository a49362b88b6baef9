import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReconcileAnswer } from "../../api/sync";
import type { PowerDNSServer } from "../../api/types";
import { renderWithProviders } from "../../test/render";
import { ReconcilePanel } from "../ReconcilePanel";

afterEach(() => vi.unstubAllGlobals());

const server = (id: number, name: string, isDefault: boolean): PowerDNSServer => ({
  id,
  name,
  api_url: `http://127.0.0.1:${8080 + id}`,
  server_id: "localhost",
  is_default: isDefault,
  is_active: true,
  multi_server_mode: true,
  lifecycle: "active",
  timeout_seconds: 3,
  verify_ssl: true,
  created_at: "2026-11-26T00:00:00",
  updated_at: "2026-11-26T00:00:00",
});
const SERVERS = [server(1, "Primary", true), server(2, "Secondary", false)];
const REFUSED =
  "The plan changes or deletes more than 30% of a server's RRsets; review it and send force=true to apply it";

function answer(over: Partial<ReconcileAnswer>): ReconcileAnswer {
  return {
    zone: "example.com",
    source: "Primary",
    safe: true,
    servers: [
      {
        server: "Secondary",
        create_zone: false,
        copy_keys: false,
        creates: [],
        updates: [{ name: "www.example.com", type: "A", ttl: 300, records: ["192.0.2.1"] }],
        deletes: [{ name: "old.example.com", type: "TXT" }],
        existing_rrsets: 12,
        unsafe: false,
        error: null,
      },
    ],
    dry_run: true,
    applied: false,
    refused: false,
    results: [],
    ...over,
  };
}

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status }));

describe("ReconcilePanel", () => {
  it("shows the plan first, then on a 30 % refusal its message and a force checkbox", async () => {
    const sent: Record<string, unknown>[] = [];
    const fetchMock = vi.fn((_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      sent.push(body);
      if (body.dry_run) return json(answer({}));
      if (!body.force)
        return json(answer({ dry_run: false, refused: true, message: REFUSED }), 409);
      return json(
        answer({
          dry_run: false,
          applied: true,
          results: [
            { server: "Secondary", success: true, error: null, duration_ms: 2, skipped: false },
          ],
        }),
      );
    });
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<ReconcilePanel zone="example.com" servers={SERVERS} />);

    expect(screen.getByLabelText("Source (the right copy)")).toHaveValue("1");
    await userEvent.click(screen.getByRole("button", { name: "Show plan" }));
    const plan = await screen.findByTestId("reconcile-plan");
    expect(plan).toHaveTextContent("~ www.example.com A → 192.0.2.1 (TTL 300)");
    expect(plan).toHaveTextContent("− old.example.com TXT");
    expect(plan).toHaveTextContent("1 updated, 1 deleted of 12 RRsets");
    expect(sent).toEqual([{ source: 1, dry_run: true, force: false }]);

    await userEvent.click(screen.getByRole("button", { name: "Apply" }));
    const warning = await screen.findByText(REFUSED, { selector: ".force-warning p" });
    expect(warning).toBeVisible();
    const apply = screen.getByRole("button", { name: "Apply with force" });
    expect(apply).toBeDisabled();
    await userEvent.click(screen.getByRole("checkbox", { name: /Force/ }));
    await userEvent.click(apply);

    const done = await screen.findByText("Reconcile example.com from Primary: done on 1 server");
    expect(within(done.closest(".outcome")! as HTMLElement).getByText(/Applied on/)).toBeVisible();
    expect(sent.slice(1)).toEqual([
      { source: 1, dry_run: false, force: false },
      { source: 1, dry_run: false, force: true },
    ]);
    expect(screen.queryByTestId("reconcile-plan")).toBeNull();
  });

  it("asks for force before applying a plan the dry run already marks unsafe", async () => {
    const unsafe = answer({ safe: false });
    unsafe.servers[0].unsafe = true;
    vi.stubGlobal(
      "fetch",
      vi.fn(() => json(unsafe)),
    );
    renderWithProviders(<ReconcilePanel zone="example.com" servers={SERVERS} />);

    await userEvent.selectOptions(screen.getByLabelText("Source (the right copy)"), "2");
    await userEvent.click(screen.getByRole("button", { name: "Show plan" }));

    expect(await screen.findByText("more than 30 % of its RRsets")).toBeVisible();
    expect(screen.getByRole("button", { name: "Apply with force" })).toBeDisabled();
    expect(screen.getByRole("checkbox", { name: /Force/ })).not.toBeChecked();
  });
});
