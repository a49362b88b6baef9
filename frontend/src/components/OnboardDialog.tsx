import { useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readOnboardPlan, startOnboarding } from "../api/fleet";
import type { PowerDNSServer } from "../api/types";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { JobProgress } from "./JobProgress";
import { Modal } from "./Modal";
import { OnboardSummary } from "./OnboardSummary";
import { defaultServer, ServerOptions } from "./ServerPicker";

interface Props {
  server: PowerDNSServer;
  servers: PowerDNSServer[];
  onClose: () => void;
}

const SHOWN = 200;
const INVALIDATE = [keys.servers, keys.sync, keys.zones] as const;

/**
 * Onboard a server: choose the reference server, see the plan (zones to create or update,
 * RRsets, the 30 % rule), then seed with a progress bar. Only then is it a write target.
 */
export function OnboardDialog({ server, servers, onClose }: Props) {
  const sources = servers.filter(
    (s) => s.id !== server.id && s.is_active && s.lifecycle === "active",
  );
  const fallback = defaultServer(sources);
  const [source, setSource] = useState<number | null>(fallback?.id ?? null);
  const [planFor, setPlanFor] = useState<number | null>(null);
  const [force, setForce] = useState(false);
  const plan = useQuery({
    queryKey: ["onboard-plan", server.id, planFor],
    queryFn: () => readOnboardPlan(server.id, planFor!),
    enabled: planFor !== null,
    gcTime: 0,
  });
  const start = useMutation({
    mutationFn: () => startOnboarding(server.id, planFor!, force),
    retry: false,
  });
  const data = plan.data;
  const todo = data?.zones.filter((z) => z.action !== "in_sync") ?? [];

  return (
    <Modal title={`Onboard ${server.name}`} onClose={onClose}>
      {start.data ? (
        <JobProgress
          jobId={start.data.id}
          invalidate={INVALIDATE}
          summary={(job) => <OnboardSummary job={job} />}
          onClose={onClose}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (data && planFor === source) start.mutate();
            else setPlanFor(source);
          }}
        >
          <p className="muted">
            {server.name} receives every zone of the reference server first. Writes made meanwhile
            are queued for it and replayed after; only then does it become a write target.
          </p>
          <Field label="Reference server (copy its zones)">
            <select
              value={source ?? ""}
              onChange={(e) => {
                setSource(Number(e.target.value));
                setPlanFor(null);
                setForce(false);
              }}
            >
              <ServerOptions servers={sources} />
            </select>
          </Field>
          {plan.isFetching && <p aria-live="polite">Planning…</p>}
          {data && planFor === source && (
            <section aria-label="Onboarding plan" data-testid="onboard-plan">
              <p>
                <strong>{data.summary.create}</strong> zone(s) to create,{" "}
                <strong>{data.summary.update}</strong> to update, {data.summary.in_sync} in sync;{" "}
                <strong>{data.summary.rrsets}</strong> RRset(s) to write.
                {data.summary.dnssec > 0 &&
                  ` ${data.summary.dnssec} signed zone(s): their DNSSEC keys are copied too.`}
              </p>
              {todo.length > 0 && (
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Zone</th>
                        <th>Action</th>
                        <th>RRsets</th>
                        <th>Changes</th>
                      </tr>
                    </thead>
                    <tbody>
                      {todo.slice(0, SHOWN).map((z) => (
                        <tr key={z.zone}>
                          <td>{z.zone}</td>
                          <td>
                            {z.action}
                            {z.unsafe && <span className="badge badge-bad"> over 30 %</span>}
                          </td>
                          <td>{z.rrsets}</td>
                          <td>
                            {z.action === "update" ? `+${z.adds} ~${z.changes} −${z.deletes}` : ""}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {todo.length > SHOWN && <p className="muted">and {todo.length - SHOWN} more</p>}
                </div>
              )}
              {data.extra_zones.length > 0 && (
                <p className="muted">
                  Only on {server.name} (left alone): {data.extra_zones.join(", ")}
                </p>
              )}
              {!data.safe && (
                <label className="switch">
                  <input
                    type="checkbox"
                    checked={force}
                    onChange={(e) => setForce(e.target.checked)}
                  />
                  Force: {data.summary.unsafe} zone(s) change over 30 % of their RRsets
                </label>
              )}
            </section>
          )}
          <FormError message={plan.error?.message ?? start.error?.message} />
          <div className="dialog-actions">
            <button type="button" className="button-secondary" onClick={onClose}>
              Cancel
            </button>
            {data && planFor === source ? (
              <button type="submit" disabled={start.isPending || (!data.safe && !force)}>
                {start.isPending ? "Starting…" : "Start seeding"}
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
