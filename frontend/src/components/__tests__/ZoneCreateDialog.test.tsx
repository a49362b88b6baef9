import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { ZoneCreateDialog } from "../ZoneCreateDialog";

const TEMPLATE = {
  id: 4,
  name: "web",
  description: "Website with mail",
  default_ttl: 600,
  nameservers: ["ns1.example.net."],
  soa_edit_api: "INCREASE",
  records: [{ name: "@", type: "MX", content: "10 mail", ttl: null }],
  created_at: "",
  updated_at: "",
};

afterEach(() => vi.unstubAllGlobals());

/** GET /api/templates answers the template; POST /api/zones answers `status` and `body`. */
function server(status: number, body: unknown) {
  return vi.fn(async (_url: string, init?: RequestInit) => {
    if (init?.method === "GET") {
      return new Response(JSON.stringify({ items: [TEMPLATE], total: 1 }), { status: 200 });
    }
    return new Response(JSON.stringify(body), { status });
  });
}

describe("ZoneCreateDialog with a template", () => {
  it("previews the template in the zone, sends template_id once, and shows a 400 in red", async () => {
    const fetchMock = server(400, {
      message: "Failed to create zone on all PowerDNS servers",
      errors: ["Primary: refused", "Secondary: refused"],
    });
    vi.stubGlobal("fetch", fetchMock);
    const onClose = vi.fn();
    renderWithProviders(<ZoneCreateDialog onClose={onClose} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("Zone name"), "example.com");
    await user.selectOptions(await screen.findByLabelText("Template"), "web");
    const preview = screen.getByTestId("template-preview");
    expect(preview).toHaveTextContent("Name servers: ns1.example.net.");
    expect(preview).toHaveTextContent("+ example.com 600 MX 10 mail.example.com.");
    await user.type(screen.getByLabelText("Name servers"), "ns.other.net");
    expect(preview).toHaveTextContent("Name servers: the ones listed below");
    await user.click(screen.getByRole("button", { name: "Create zone" }));

    const notice = await screen.findByRole("alert");
    expect(notice).toHaveClass("outcome-failure");
    expect(within(notice).getAllByRole("listitem")).toHaveLength(2);
    expect(onClose).not.toHaveBeenCalled();
    const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === "POST");
    expect(posts).toHaveLength(1);
    expect(JSON.parse(String(posts[0][1]!.body))).toMatchObject({
      name: "example.com",
      nameservers: ["ns.other.net"],
      template_id: 4,
    });
  });

  it("offers no template for a secondary zone", async () => {
    vi.stubGlobal("fetch", server(201, {}));
    renderWithProviders(<ZoneCreateDialog onClose={() => undefined} />);
    const user = userEvent.setup();
    await screen.findByLabelText("Template");
    await user.selectOptions(screen.getByLabelText("Kind"), "Slave");
    expect(screen.queryByLabelText("Template")).toBeNull();
  });
});
