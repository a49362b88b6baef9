import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { LoginPage } from "../LoginPage";

const OTP_REQUIRED = 'Two-factor code required: send "otp" (authenticator or recovery code)';

afterEach(() => vi.unstubAllGlobals());

describe("LoginPage", () => {
  it("asks for the two-factor code when the server requires it, then sends it", async () => {
    const loginMock = vi
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
    // The page also asks how people sign in here; the login calls go to loginMock.
    const methods = { local_login: "on", ldap: false, providers: [] };
    const fetchMock = vi.fn((url: string, init: RequestInit) =>
      String(url).endsWith("/auth/methods")
        ? Promise.resolve(new Response(JSON.stringify(methods), { status: 200 }))
        : loginMock(url, init),
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

    expect(loginMock).toHaveBeenCalledTimes(2);
    const sent = JSON.parse(String(loginMock.mock.calls[1][1].body)) as Record<string, string>;
    expect(sent).toEqual({
      email: "admin@example.com",
      password: "secret-password",
      otp: "123456",
    });
  });
});
