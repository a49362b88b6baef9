import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { retireServer } from "../api/fleet";
import type { FleetJob } from "../api/fleet";
import type { PowerDNSServer } from "../api/types";
import { FormError } from "./FormError";
import { JobProgress } from "./JobProgress";
import { Modal } from "./Modal";

interface Props {
  server: PowerDNSServer;
  onClose: () => void;
}

const INVALIDATE = [keys.servers, keys.sync, keys.zones] as const;

function retireSummary(job: FleetJob) {
  const r = job.result as { dropped_queue?: number; deleted?: number; kept?: string[] };
  return (
    <p>
      {job.server} no longer receives writes; {r.dropped_queue ?? 0} queued change(s) dropped,{" "}
      {r.deleted ?? 0} zone(s) deleted
      {r.kept && r.kept.length > 0 ? `, kept (only on it): ${r.kept.join(", ")}` : ""}.
    </p>
  );
}

/** Retire a server: stop writing to it, optionally delete the zones DNSMate manages there. */
export function RetireDialog({ server, onClose }: Props) {
  const [deleteZones, setDeleteZones] = useState(false);
  const retire = useMutation({
    mutationFn: () => retireServer(server.id, deleteZones),
    retry: false,
  });
  return (
    <Modal title={`Retire ${server.name}`} onClose={onClose}>
      {retire.data ? (
        <JobProgress
          jobId={retire.data.id}
          invalidate={INVALIDATE}
          summary={retireSummary}
          onClose={onClose}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            retire.mutate();
          }}
        >
          <p>
            {server.name} stops receiving writes now (multi-server mode off); changes still queued
            for it are dropped. It stays configured, so you can still browse it.
          </p>
          <label className="switch">
            <input
              type="checkbox"
              checked={deleteZones}
              onChange={(e) => setDeleteZones(e.target.checked)}
            />
            Also delete from it the zones the other write targets hold
          </label>
          <FormError message={retire.error?.message} />
          <div className="dialog-actions">
            <button type="button" className="button-secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button-danger" disabled={retire.isPending}>
              {retire.isPending ? "Retiring…" : "Retire server"}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
