import { request } from "./client";
import type { Passkey, PasskeyOptions, Token } from "./types";

export const listPasskeys = () => request<Passkey[]>("GET", "/auth/passkeys");
export const passkeyRegistrationOptions = () =>
  request<PasskeyOptions>("POST", "/auth/passkeys/options");
export const createPasskeyOnServer = (
  name: string,
  state: string,
  credential: Record<string, unknown>,
) => request<Passkey>("POST", "/auth/passkeys", { body: { name, state, credential } });
export const renamePasskey = (id: number, name: string) =>
  request<Passkey>("PUT", `/auth/passkeys/${id}`, { body: { name } });
export const deletePasskey = (id: number) => request<null>("DELETE", `/auth/passkeys/${id}`);
export const passkeySignInOptions = () =>
  request<PasskeyOptions>("POST", "/auth/passkeys/login/options");
export const signInWithPasskey = (state: string, credential: Record<string, unknown>) =>
  request<Token>("POST", "/auth/passkeys/login", { body: { state, credential } });
