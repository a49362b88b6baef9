import { request } from "./client";
import type { Token, User } from "./types";

export const login = (email: string, password: string) =>
  request<Token>("POST", "/auth/login", { body: { email, password } });

export const readMe = () => request<User>("GET", "/auth/me");
