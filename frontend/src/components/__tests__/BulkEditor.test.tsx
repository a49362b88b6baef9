import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { BulkEditor } from "../BulkEditor";

const CSV = "op,name,type,content\nadd,a,A,192.0.2.1\nadd,b,A,nope\n";

afterEach(() => vi.unstubAllGlobals());

describe("BulkEditor", () => {
  it("validates as a dry run and lists every invalid row with its line", async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            message: "operations: 1 invalid operation(s); nothing was applied",
            field: "operations",
            errors: [{ row: 3, field: "content", message: "invalid A content 'nope'" }],
          }),
          { status: 422 },
        ),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<BulkEditor zone="example.com" />);
    fireEvent.change(screen.getByLabelText("Operations"), { target: { value: CSV } });
    await userEvent.click(screen.getByRole("button", { name: "Validate" }));

    const errors = await screen.findByTestId("bulk-errors");
    expect(errors).toHaveTextContent("1 invalid row; nothing was applied.");
    expect(errors).toHaveTextContent("Row 3 (content): invalid A content 'nope'");
    expect(errors).toHaveTextContent("add,b,A,nope");
    expect(screen.getByRole("button", { name: "Apply" })).toBeDisabled();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/records/example.com/bulk?dry_run=true");
    expect((init.headers as Record<string, string>)["Content-Type"]).toBe("text/csv");
    expect(init.body).toBe(CSV);
  });
});
