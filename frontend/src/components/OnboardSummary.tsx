import type { FleetJob } from "../api/fleet";

/** What an ended onboarding job did, in words. */
export function OnboardSummary({ job }: { job: FleetJob }) {
  const r = job.result as Record<string, number | undefined>;
  return (
    <p>
      {r.created ?? 0} zone(s) created, {r.updated ?? 0} updated, {r.in_sync ?? 0} already in sync;{" "}
      {r.replayed ?? 0} write(s) made during seeding replayed.
      {job.status === "succeeded" && ` ${job.server} is now a write target.`}
    </p>
  );
}
