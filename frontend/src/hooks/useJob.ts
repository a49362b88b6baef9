import { useEffect, useRef } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { readJob } from "../api/fleet";
import type { FleetJob } from "../api/fleet";

/** How often a running job is polled. */
export const JOB_POLL_MS = 500;

/**
 * A fleet job, polled while it runs; when it ends, the queries under ``invalidate`` are
 * refetched (the servers, the sync status) once.
 */
export function useJob(id: number, invalidate: readonly (readonly string[])[]) {
  const client = useQueryClient();
  const job = useQuery({
    queryKey: ["jobs", id],
    queryFn: () => readJob(id),
    refetchInterval: (query) => (query.state.data?.status === "running" ? JOB_POLL_MS : false),
  });
  const ended = useRef(false);
  const status: FleetJob["status"] | undefined = job.data?.status;
  useEffect(() => {
    if (!status || status === "running" || ended.current) return;
    ended.current = true;
    for (const key of invalidate) void client.invalidateQueries({ queryKey: key });
  }, [status, client, invalidate]);
  return job;
}
