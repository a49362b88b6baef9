import { request } from "./client";
import type { Token, TwoFactorSetup, User } from "./types";

/** Log in; ``otp`` is the authenticator or recovery code when two-factor login is on. */
export const login = (email: string, password: string, otp?: string) =>
  request<Token>("POST", "/auth/login", {
    body: otp ? { email, password, otp } : { email, password },
  });

export const readMe = () => request<User>("GET", "/auth/me");

export const startTwoFactorSetup = () => request<TwoFactorSetup>("POST", "/auth/2fa/setup");

export const enableTwoFactor = (code: string) =>
  request<{ recovery_codes: string[] }>("POST", "/auth/2fa/enable", { body: { code } });

export const disableTwoFactor = (password: string, code: string) =>
  request<null>("POST", "/auth/2fa/disable", { body: { password, code } });
