import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { ZoneVersion } from "../api/types";
import { listVersions } from "../api/versions";
import { formatTime } from "../lib/time";
import { Pagination } from "./Pagination";
import { RollbackDialog } from "./RollbackDialog";
import { FormError } from "./FormError";

const PER_PAGE = 25;

interface Props {
  zone: string;
  servers?: string[];
  canWrite: boolean;
}

/** The zone's history, newest first, with a rollback to any version. */
export function VersionsPanel({ zone, servers, canWrite }: Props) {
  const [page, setPage] = useState(1);
  const [target, setTarget] = useState<ZoneVersion | null>(null);
  const versions = useQuery({
    queryKey: [...keys.versions(zone), page],
    queryFn: () => listVersions(zone, page, PER_PAGE),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <FormError message={versions.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Versions of {zone}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Change</th>
              <th scope="col" className="hide-narrow">
                Who
              </th>
              <th scope="col" className="hide-narrow">
                +/~/−
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.data?.items.map((v, index) => (
              <tr key={v.id}>
                <td>{v.id}</td>
                <td>{formatTime(v.created_at)}</td>
                <td className="cell-name">{v.summary}</td>
                <td className="hide-narrow cell-name">
                  {v.actor ?? "—"} <span className="muted">via {v.via}</span>
                </td>
                <td className="hide-narrow">
                  {v.added}/{v.changed}/{v.deleted}
                </td>
                <td className="cell-actions">
                  {canWrite && !(page === 1 && index === 0) && (
                    <button
                      type="button"
                      className="button-small button-secondary"
                      onClick={() => setTarget(v)}
                      aria-label={`Roll back to version ${v.id}`}
                    >
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {versions.data?.items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No versions recorded yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {versions.data && (
        <Pagination
          label="Versions"
          page={page}
          perPage={PER_PAGE}
          total={versions.data.total}
          onPage={setPage}
        />
      )}
      {target && (
        <RollbackDialog
          zone={zone}
          version={target}
          servers={servers}
          onClose={() => setTarget(null)}
        />
      )}
    </div>
  );
}
