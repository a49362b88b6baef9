import { request } from "./client";
import type { ApiToken, ApiTokenCreate, ApiTokenCreated } from "./types";

export const listTokens = () => request<ApiToken[]>("GET", "/tokens");
export const createToken = (body: ApiTokenCreate) =>
  request<ApiTokenCreated>("POST", "/tokens", { body });
export const deleteToken = (id: number) => request<null>("DELETE", `/tokens/${id}`);
