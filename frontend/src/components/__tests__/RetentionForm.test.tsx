import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { RetentionForm } from "../RetentionForm";

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const DEFAULTS = { max_per_zone: 1000, max_age_days: 365 };
const NOTHING_STORED = {
  ...DEFAULTS,
  stored: { max_per_zone: null, max_age_days: null },
  defaults: DEFAULTS,
};

describe("RetentionForm", () => {
  it("shows the defaults, sends numbers and empty fields as null", async () => {
    const saved = {
      max_per_zone: 20,
      max_age_days: 365,
      stored: { max_per_zone: 20, max_age_days: null },
      defaults: DEFAULTS,
    };
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(json(NOTHING_STORED))
      .mockResolvedValueOnce(json(saved))
      .mockResolvedValue(json(saved));
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<RetentionForm />);

    const perZone = await screen.findByLabelText("Versions kept per zone");
    expect(perZone).toHaveValue(null);
    expect(screen.getByText(/Empty: the default, 1000/)).toBeInTheDocument();
    await userEvent.type(perZone, "20");
    await userEvent.click(screen.getByRole("button", { name: "Save retention" }));

    await screen.findByText(/the newest 20 versions/);
    const [url, init] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect(url).toContain("/api/settings/versions");
    expect(init.method).toBe("PUT");
    expect(JSON.parse(String(init.body))).toEqual({ max_per_zone: 20, max_age_days: null });
  });

  it("shows the server's message next to the field it names", async () => {
    const refused = {
      detail: [
        {
          loc: ["body", "max_age_days"],
          msg: "Input should be greater than 0",
          type: "greater_than",
        },
      ],
    };
    vi.stubGlobal(
      "fetch",
      vi
        .fn()
        .mockResolvedValueOnce(json(NOTHING_STORED))
        .mockResolvedValueOnce(json(refused, 422))
        .mockResolvedValue(json(NOTHING_STORED)),
    );
    renderWithProviders(<RetentionForm />);

    await userEvent.type(await screen.findByLabelText("Maximum age in days"), "0");
    await userEvent.click(screen.getByRole("button", { name: "Save retention" }));

    expect(await screen.findByText("Input should be greater than 0")).toBeInTheDocument();
    expect(screen.getByLabelText("Maximum age in days")).toHaveAttribute("aria-invalid", "true");
  });
});
