import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api/client";

/** Reads retry once on network/5xx trouble; changes are never retried automatically. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) =>
          count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
