import { request } from "./client";
import type { UserCreate, UserDetail, UserUpdate } from "./types";

export const listUsers = () => request<UserDetail[]>("GET", "/users");
export const createUser = (body: UserCreate) => request<UserDetail>("POST", "/users", { body });
export const updateUser = (id: number, body: UserUpdate) =>
  request<UserDetail>("PUT", `/users/${id}`, { body });
export const deleteUser = (id: number) => request<null>("DELETE", `/users/${id}`);
export const readMyAccount = () => request<UserDetail>("GET", "/users/me");
