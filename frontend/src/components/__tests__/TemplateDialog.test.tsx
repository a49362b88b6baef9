import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { TemplateDialog } from "../TemplateDialog";

afterEach(() => vi.unstubAllGlobals());

/** Type by pasting: typing key by key is slow enough to hit the test timeout under load. */
async function fill(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  await user.click(screen.getByLabelText(label));
  await user.paste(text);
}

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status });
}

describe("TemplateDialog", () => {
  // Many interactions: a generous timeout so a busy machine does not fail it.
  it(
    "sends the filled rows and shows a record's 422 next to that row's field",
    { timeout: 20_000 },
    async () => {
      const fetchMock = vi.fn().mockResolvedValueOnce(
        answer(422, {
          message: "invalid A content '999.1.1.1'",
          field: "records[1].content",
          detail: [{ loc: ["body", "records[1].content"], msg: "invalid A content '999.1.1.1'" }],
        }),
      );
      vi.stubGlobal("fetch", fetchMock);
      const onClose = vi.fn();
      renderWithProviders(<TemplateDialog onClose={onClose} />);
      const user = userEvent.setup();

      await fill(user, "Template name", "web");
      await fill(user, "Name servers", "ns1.example.net, ns2.example.net");
      for (let i = 0; i < 3; i++) {
        await user.click(screen.getByRole("button", { name: "+ Add record row" }));
      }
      // The new row's type select gets the focus.
      expect(screen.getByLabelText("Record 3 type")).toHaveFocus();
      await fill(user, "Record 1 content", "192.0.2.10");
      // Row 2 stays empty and is not sent; row 3 is record 1 on the server.
      await fill(user, "Record 3 name", "mail");
      await fill(user, "Record 3 content", "999.1.1.1");
      await fill(user, "Record 3 ttl", "300");
      await user.click(screen.getByRole("button", { name: "Create template" }));

      const content = screen.getByLabelText("Record 3 content");
      await vi.waitFor(() => expect(content).toHaveAttribute("aria-invalid", "true"));
      const message = document.getElementById(content.getAttribute("aria-describedby")!)!;
      expect(message).toHaveTextContent("invalid A content '999.1.1.1'");
      expect(content.closest("td")).toContainElement(message);
      expect(screen.getByLabelText("Record 1 content")).not.toHaveAttribute("aria-invalid");
      expect(onClose).not.toHaveBeenCalled();

      const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
      expect(url).toBe("/api/templates");
      expect(JSON.parse(String(init.body))).toEqual({
        name: "web",
        description: "",
        default_ttl: 3600,
        nameservers: ["ns1.example.net", "ns2.example.net"],
        soa_edit_api: "DEFAULT",
        soa: {
          primary: null,
          hostmaster: null,
          refresh: null,
          retry: null,
          expire: null,
          minimum: null,
          ttl: null,
        },
        records: [
          { name: "@", type: "A", content: "192.0.2.10", ttl: null },
          { name: "mail", type: "A", content: "999.1.1.1", ttl: 300 },
        ],
      });

      // Removing the row above keeps the message with its row.
      await user.click(screen.getByRole("button", { name: "Remove record 1" }));
      const moved = screen.getByLabelText("Record 2 content");
      expect(moved).toHaveValue("999.1.1.1");
      expect(moved).toHaveAttribute("aria-invalid", "true");
    },
  );

  it("edits a template with PUT, keeping its rows, and shows a whole-list error above them", async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(
      answer(422, {
        message: "www has a CNAME and other records",
        field: "records",
        detail: [{ loc: ["body", "records"], msg: "www has a CNAME and other records" }],
      }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const template = {
      id: 7,
      name: "web",
      description: "",
      default_ttl: 600,
      nameservers: ["ns1.example.net."],
      soa_edit_api: "INCREASE",
      records: [{ name: "www", type: "CNAME", content: "@", ttl: null }],
      created_at: "",
      updated_at: "",
    };
    renderWithProviders(<TemplateDialog template={template} onClose={() => undefined} />);
    const user = userEvent.setup();

    expect(screen.getByLabelText("Record 1 type")).toHaveValue("CNAME");
    expect(screen.getByLabelText("SOA-EDIT-API")).toHaveValue("INCREASE");
    await user.click(screen.getByRole("button", { name: "Save template" }));

    const records = screen.getByRole("group", { name: "Records" });
    expect(await within(records).findByRole("alert")).toHaveTextContent("www has a CNAME");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/templates/7");
    expect(init.method).toBe("PUT");
    expect(JSON.parse(String(init.body)).default_ttl).toBe(600);
  });
});
