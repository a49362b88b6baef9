import { useSyncExternalStore } from "react";
import { getToken, onTokenChange } from "../api/token";

/** The current bearer token; re-renders on login, logout and on a 401 from the API. */
export function useToken(): string | null {
  return useSyncExternalStore((listener) => onTokenChange(() => listener()), getToken);
}
