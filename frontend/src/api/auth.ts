import { request } from "./client";
import type { SignIn, SignInMethods, Token, TwoFactorSetup, User } from "./types";

/** Log in; ``otp`` is the authenticator or recovery code when two-factor login is on,
 * ``passkey`` a passkey's answer as the second factor instead. */
export const login = (
  email: string,
  password: string,
  otp?: string,
  passkey?: { state: string; credential: Record<string, unknown> },
) =>
  request<Token>("POST", "/auth/login", {
    body: passkey
      ? { email, password, passkey }
      : otp
        ? { email, password, otp }
        : { email, password },
  });

export const readMe = () => request<User>("GET", "/auth/me");

export const startTwoFactorSetup = () => request<TwoFactorSetup>("POST", "/auth/2fa/setup");

export const enableTwoFactor = (code: string) =>
  request<{ recovery_codes: string[]; access_token: string }>("POST", "/auth/2fa/enable", {
    body: { code },
  });

export const disableTwoFactor = (password: string, code: string) =>
  request<Token>("POST", "/auth/2fa/disable", { body: { password, code } });

/** Change your own password; every other login session ends, the answer is this one's token. */
export const changeMyPassword = (currentPassword: string, newPassword: string) =>
  request<Token>("POST", "/users/me/password", {
    body: { current_password: currentPassword, new_password: newPassword },
  });

/** How people sign in here (the login page asks before anyone is signed in). */
export const readSignInMethods = () => request<SignInMethods>("GET", "/auth/methods");

/** Your latest sign-ins and failed attempts at your account. */
export const readMySignIns = () => request<SignIn[]>("GET", "/users/me/sign-ins");

/** The login token a single sign-on just produced (the server hands it over once). */
export const collectSsoSession = () => request<Token>("POST", "/auth/sso/session");
