import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { LoginPage } from "../LoginPage";

const OTP_REQUIRED = 'Two-factor code required: send "otp" (authenticator or recovery code)';

afterEach(() => vi.unstubAllGlobals());

describe("LoginPage", () => {
  it("asks for the two-factor code when the server requires it, then sends it", async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ detail: OTP_REQUIRED }), {
          status: 401,
          headers: { "X-DNSMate-OTP": "required" },
        }),
      )
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ access_token: "t", token_type: "bearer" }), { status: 200 }),
      );
    vi.stubGlobal("fetch", fetchMock);
    renderWithProviders(<LoginPage />, { route: "/login" });

    expect(screen.queryByLabelText("Two-factor code")).toBeNull();
    await userEvent.type(screen.getByLabelText("E-mail"), "admin@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "secret-password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const code = await screen.findByLabelText("Two-factor code");
    expect(screen.getByRole("alert")).toHaveTextContent("Two-factor code required");
    await userEvent.type(code, "123456");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(fetchMock).toHaveBeenCalledTimes(2);
    const sent = JSON.parse(String(fetchMock.mock.calls[1][1].body)) as Record<string, string>;
    expect(sent).toEqual({
      email: "admin@example.com",
      password: "secret-password",
      otp: "123456",
    });
  });
});
