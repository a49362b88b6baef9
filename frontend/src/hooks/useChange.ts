import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { QueryKey } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import type { Outcome } from "../api/types";
import { useNotify } from "../components/NotificationProvider";

interface Options<V> {
  /** Runs the change; multi-server writes resolve to their Outcome. */
  run: (vars: V) => Promise<Outcome>;
  /** Title of the red notice when the change fails before reaching any server. */
  title: (vars: V) => string;
  /** Queries to refetch after the change (whatever its outcome). */
  invalidate: QueryKey[];
  onSuccess?: (outcome: Outcome, vars: V) => void;
  /** Field errors (422 with a `field`) are shown next to the field, not as a notice. */
  fieldsInForm?: boolean;
}

/**
 * Every change goes through here: one mutation (never retried), one notification of its
 * per-server outcome, and a refetch of what it touched.
 */
export function useChange<V>(options: Options<V>) {
  const notify = useNotify();
  const client = useQueryClient();
  return useMutation<Outcome, Error, V>({
    mutationFn: options.run,
    retry: false,
    onSuccess: (outcome, vars) => {
      notify(outcome);
      options.onSuccess?.(outcome, vars);
    },
    onError: (error, vars) => {
      // A field error (also one every server agreed on, such as a CNAME conflict) is shown
      // once, next to its field, not as a notice per server.
      if (options.fieldsInForm && error instanceof ApiError && error.field) return;
      if (error instanceof ApiError && error.outcome) {
        notify(error.outcome);
      } else {
        notify({
          kind: "failure",
          title: options.title(vars),
          status: error instanceof ApiError ? error.status : 0,
          message: error.message,
          succeeded: [],
          failures: [],
        });
      }
    },
    onSettled: () => {
      for (const key of options.invalidate) void client.invalidateQueries({ queryKey: key });
    },
  });
}

/** The notice of a single-database change that succeeded. */
export function succeeded(title: string): Outcome {
  return { kind: "success", title, status: 200, succeeded: [], failures: [] };
}

/** Wrap a single-database change (settings) so it reports through the same notice. */
export async function asOutcome(title: string, run: () => Promise<unknown>): Promise<Outcome> {
  await run();
  return succeeded(title);
}
