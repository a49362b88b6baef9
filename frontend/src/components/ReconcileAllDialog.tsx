import { useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readReconcileAllPlan, startReconcileAll } from "../api/fleet";
import type { FleetJob } from "../api/fleet";
import type { PowerDNSServer } from "../api/types";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { JobProgress } from "./JobProgress";
import { Modal } from "./Modal";
import { defaultServer, ServerOptions } from "./ServerPicker";

interface Props {
  servers: PowerDNSServer[];
  onClose: () => void;
}

const SHOWN = 200;
const INVALIDATE = [keys.sync, keys.zones] as const;

function repairSummary(job: FleetJob) {
  const r = job.result as {
    repaired?: string[];
    in_sync?: number;
    refused?: string[];
    failed?: { zone: string; error: string }[];
    resolved_parked?: number;
  };
  return (
    <>
      <p>
        {r.repaired?.length ?? 0} zone(s) repaired, {r.in_sync ?? 0} already in sync,{" "}
        {r.resolved_parked ?? 0} parked change(s) resolved as moot.
      </p>
      {r.refused && r.refused.length > 0 && (
        <p>Refused (over 30 % of a server&apos;s RRsets, needs force): {r.refused.join(", ")}</p>
      )}
      {r.failed?.map((f) => (
        <p key={f.zone}>
          {f.zone}: {f.error}
        </p>
      ))}
    </>
  );
}

/**
 * Reconcile everything: choose the source, see every zone that differs from it on some
 * write target and what repairs it, then repair them all with a progress bar.
 */
export function ReconcileAllDialog({ servers, onClose }: Props) {
  const active = servers.filter((s) => s.is_active);
  const fallback = defaultServer(active);
  const [source, setSource] = useState<number | null>(fallback?.id ?? null);
  const [deep, setDeep] = useState(false);
  const [planned, setPlanned] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const wanted = `${source}:${deep}`;
  const plan = useQuery({
    queryKey: ["reconcile-all-plan", planned],
    queryFn: () => readReconcileAllPlan(source!, deep),
    enabled: planned !== null,
    gcTime: 0,
  });
  const start = useMutation({
    mutationFn: () => startReconcileAll(source!, deep, force),
    retry: false,
  });
  const data = planned === wanted ? plan.data : undefined;

  return (
    <Modal title="Reconcile all zones" onClose={onClose}>
      {start.data ? (
        <JobProgress
          jobId={start.data.id}
          invalidate={INVALIDATE}
          summary={repairSummary}
          onClose={onClose}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (data) start.mutate();
            else setPlanned(wanted);
          }}
        >
          <p className="muted">
            Every zone that a write target lacks or holds differently from the source is repaired
            from the source. You see the plan first.
          </p>
          <Field label="Source (the right copies)">
            <select value={source ?? ""} onChange={(e) => setSource(Number(e.target.value))}>
              <ServerOptions servers={active} />
            </select>
          </Field>
          <label className="switch">
            <input type="checkbox" checked={deep} onChange={(e) => setDeep(e.target.checked)} />
            Compare every zone&apos;s content (not only zones whose serials differ)
          </label>
          {plan.isFetching && <p aria-live="polite">Planning…</p>}
          {data && (
            <section aria-label="Reconcile plan" data-testid="reconcile-all-plan">
              <p>
                <strong>{data.zones.length}</strong> of {data.checked} zone(s) to repair on{" "}
                {data.servers.join(", ") || "no other target"}.
              </p>
              {data.zones.length > 0 && (
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Zone</th>
                        <th>Server</th>
                        <th>Repair</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.zones.slice(0, SHOWN).flatMap((z) =>
                        z.servers.map((s) => (
                          <tr key={`${z.zone} ${s.server}`}>
                            <td>{z.zone}</td>
                            <td>{s.server}</td>
                            <td>
                              {s.error ??
                                (s.create_zone
                                  ? "create the zone"
                                  : `+${s.adds} ~${s.changes} −${s.deletes}`)}
                              {s.copy_keys && " + DNSSEC keys"}
                              {s.unsafe && <span className="badge badge-bad"> over 30 %</span>}
                            </td>
                          </tr>
                        )),
                      )}
                    </tbody>
                  </table>
                  {data.zones.length > SHOWN && (
                    <p className="muted">and {data.zones.length - SHOWN} more zones</p>
                  )}
                </div>
              )}
              {data.not_on_source.length > 0 && (
                <p className="muted">
                  Not on the source (left alone): {data.not_on_source.join(", ")}
                </p>
              )}
              {data.unsafe > 0 && (
                <label className="switch">
                  <input
                    type="checkbox"
                    checked={force}
                    onChange={(e) => setForce(e.target.checked)}
                  />
                  Force: {data.unsafe} zone(s) change over 30 % of a server&apos;s RRsets
                </label>
              )}
            </section>
          )}
          <FormError message={plan.error?.message ?? start.error?.message} />
          <div className="dialog-actions">
            <button type="button" className="button-secondary" onClick={onClose}>
              Cancel
            </button>
            {data ? (
              <button type="submit" disabled={start.isPending || data.zones.length === 0}>
                {start.isPending ? "Starting…" : `Repair ${data.zones.length} zone(s)`}
              </button>
            ) : (
              <button type="submit" disabled={source === null || plan.isFetching}>
                Show plan
              </button>
            )}
          </div>
        </form>
      )}
    </Modal>
  );
}
