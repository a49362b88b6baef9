import { Fragment, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { ZoneVersion } from "../api/types";
import { exportVersion, listVersions } from "../api/versions";
import { useDebounced } from "../hooks/useDebounced";
import { downloadText } from "../lib/download";
import { formatTime } from "../lib/time";
import { CompareDialog } from "./CompareDialog";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { Pagination } from "./Pagination";
import { RollbackDialog } from "./RollbackDialog";
import { VersionChanges } from "./VersionChanges";

const PER_PAGE = 25;

interface Props {
  zone: string;
  servers?: string[];
  canWrite: boolean;
}

/**
 * The zone's history, newest first: what each version changed (expand a row), a filter by
 * record name, and per version a comparison with now, its zone file, and a rollback.
 */
export function VersionsPanel({ zone, servers, canWrite }: Props) {
  const [page, setPage] = useState(1);
  const [name, setName] = useState("");
  const filter = useDebounced(name.trim());
  const [open, setOpen] = useState<number | null>(null);
  const [rollingBack, setRollingBack] = useState<ZoneVersion | null>(null);
  const [comparing, setComparing] = useState<ZoneVersion | null>(null);
  const [exportError, setExportError] = useState<string | undefined>();
  const versions = useQuery({
    queryKey: [...keys.versions(zone), page, filter],
    queryFn: () => listVersions(zone, page, PER_PAGE, filter || undefined),
    placeholderData: keepPreviousData,
  });
  const latest = useQuery({
    queryKey: [...keys.versions(zone), "latest"],
    queryFn: () => listVersions(zone, 1, 1),
  });
  const latestId = latest.data?.items[0]?.id;

  async function download(version: ZoneVersion) {
    try {
      downloadText(`${zone}-v${version.id}.zone`, await exportVersion(zone, version.id));
      setExportError(undefined);
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <div>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Record name" hint="Only the versions that changed this name">
          <input
            value={name}
            placeholder="www or @"
            onChange={(e) => {
              setName(e.target.value);
              setPage(1);
              setOpen(null);
            }}
          />
        </Field>
      </form>
      <FormError message={versions.error?.message ?? exportError} />
      <div className="table-wrap">
        <table className="table versions-table" aria-busy={versions.isFetching}>
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
            {versions.data?.items.map((v) => (
              <Fragment key={v.id}>
                <tr>
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
                    <button
                      type="button"
                      className="button-small button-secondary"
                      aria-expanded={open === v.id}
                      aria-label={`Changes in version ${v.id}`}
                      onClick={() => setOpen(open === v.id ? null : v.id)}
                    >
                      Changes
                    </button>
                    {v.id !== latestId && (
                      <button
                        type="button"
                        className="button-small button-secondary"
                        aria-label={`Compare version ${v.id} with now`}
                        onClick={() => setComparing(v)}
                      >
                        Compare
                      </button>
                    )}
                    <button
                      type="button"
                      className="button-small button-secondary"
                      aria-label={`Export version ${v.id}`}
                      onClick={() => download(v)}
                    >
                      Export
                    </button>
                    {canWrite && v.id !== latestId && (
                      <button
                        type="button"
                        className="button-small button-secondary"
                        onClick={() => setRollingBack(v)}
                        aria-label={`Roll back to version ${v.id}`}
                      >
                        Roll back
                      </button>
                    )}
                  </td>
                </tr>
                {open === v.id && (
                  <tr className="row-details">
                    <td colSpan={6}>
                      <VersionChanges zone={zone} version={v.id} name={filter || undefined} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
            {versions.data?.items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  {filter ? `No version changed “${filter}”.` : "No versions recorded yet."}
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
      {rollingBack && (
        <RollbackDialog
          zone={zone}
          version={rollingBack}
          servers={servers}
          onClose={() => setRollingBack(null)}
        />
      )}
      {comparing && (
        <CompareDialog zone={zone} version={comparing} onClose={() => setComparing(null)} />
      )}
    </div>
  );
}
