import type { ReactNode } from "react";
import { useMutation } from "@tanstack/react-query";
import { cancelJob } from "../api/fleet";
import type { FleetJob } from "../api/fleet";
import { useJob } from "../hooks/useJob";
import { FormError } from "./FormError";

interface Props {
  jobId: number;
  /** Refetched once the job ends. */
  invalidate: readonly (readonly string[])[];
  /** What the ended job did, in words. */
  summary: (job: FleetJob) => ReactNode;
  /** Inside a dialog: its Close button. */
  onClose?: () => void;
}

const ENDED: Record<string, string> = {
  succeeded: "✓ Done",
  failed: "✕ Failed",
  cancelled: "Cancelled",
  interrupted: "✕ Interrupted: the DNSMate process running it stopped",
};

/**
 * A fleet job's progress bar (zones done of total), its phase and, once ended, its result.
 * While it runs, "Cancel job" asks it to stop before its next zone.
 */
export function JobProgress({ jobId, invalidate, summary, onClose }: Props) {
  const job = useJob(jobId, invalidate);
  const cancel = useMutation({ mutationFn: () => cancelJob(jobId), retry: false });
  const data = job.data;
  if (!data) return <FormError message={job.error?.message} />;
  const running = data.status === "running";
  const percent = data.total ? Math.round((100 * data.done) / data.total) : 0;
  return (
    <div className="job" data-testid="job" data-status={data.status}>
      <p className="job-phase">
        <strong>{running ? data.phase : ENDED[data.status]}</strong>
        {running && data.current ? ` · ${data.current}` : ""}
      </p>
      <progress
        className="job-bar"
        max={data.total || 1}
        value={running ? data.done : data.total || 1}
        aria-label={`${data.kind} progress`}
        aria-valuetext={`${data.done} of ${data.total} zones`}
      />
      <p className="muted" aria-live="polite">
        {data.done} of {data.total} zones ({running ? percent : 100} %)
      </p>
      {!running && (
        <div className={data.status === "succeeded" ? "test-ok" : "test-bad"} role="status">
          {data.error && <p>{data.error}</p>}
          {summary(data)}
        </div>
      )}
      {running &&
        (data.cancel_requested || cancel.isSuccess ? (
          <p className="muted" aria-live="polite">
            Cancelling: it stops before the next zone…
          </p>
        ) : (
          <div className="dialog-actions">
            <button
              type="button"
              className="button-danger-outline"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate()}
            >
              Cancel job
            </button>
          </div>
        ))}
      <FormError message={job.error?.message ?? cancel.error?.message} />
      {onClose && (
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
