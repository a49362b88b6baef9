import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ALGORITHMS, disableDnssec, enableDnssec, readDnssec } from "../api/dnssec";
import { keys } from "../api/keys";
import { useChange } from "../hooks/useChange";
import { ConfirmDialog } from "./ConfirmDialog";
import { CopyButton } from "./CopyButton";
import { Field } from "./Field";
import { FormError } from "./FormError";

interface Props {
  zone: string;
  canManage: boolean;
}

/** Signing state per server, the DS records for the registrar, enable and disable. */
export function DnssecPanel({ zone, canManage }: Props) {
  const status = useQuery({ queryKey: keys.dnssec(zone), queryFn: () => readDnssec(zone) });
  const [algorithm, setAlgorithm] = useState(ALGORITHMS[0]);
  const [confirmOff, setConfirmOff] = useState(false);
  const invalidate = [keys.dnssec(zone), keys.records(zone), keys.zone(zone), keys.versions(zone)];
  const enable = useChange<string>({
    run: (alg) => enableDnssec(zone, alg),
    title: () => `Sign ${zone}`,
    invalidate,
  });
  const disable = useChange<void>({
    run: () => disableDnssec(zone),
    title: () => `Stop signing ${zone}`,
    invalidate,
    onSuccess: () => setConfirmOff(false),
  });
  const data = status.data;

  return (
    <div className="dnssec">
      <FormError message={status.error?.message} />
      {data && (
        <>
          <p data-testid="dnssec-state">
            {data.dnssec ? (
              <span className="badge badge-ok">🔒 Signed</span>
            ) : (
              <span className="badge badge-muted">Not signed</span>
            )}{" "}
            {data.dnssec &&
              (data.dnskeys_match ? (
                <span>Every server publishes the same keys.</span>
              ) : (
                <span className="field-error">
                  Keys differ on:{" "}
                  {data.mismatched_servers.join(", ") || "servers that did not answer"}
                </span>
              ))}
          </p>
          {data.dnssec && data.ds_records.length > 0 && (
            <div className="card">
              <h3>DS records for the registrar</h3>
              <pre className="ds-records">{data.ds_records.join("\n")}</pre>
              <CopyButton text={data.ds_records.join("\n")} label="Copy DS records" />
            </div>
          )}
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Signing keys per server</caption>
              <thead>
                <tr>
                  <th scope="col">Server</th>
                  <th scope="col">Signed</th>
                  <th scope="col">Keys</th>
                </tr>
              </thead>
              <tbody>
                {data.server_keys.map((s) => (
                  <tr key={s.server}>
                    <td className="cell-name">{s.server}</td>
                    <td>
                      {!s.success
                        ? `unreachable: ${s.error}`
                        : s.dnssec
                          ? s.matches_reference
                            ? "yes"
                            : "yes, different keys"
                          : "no"}
                    </td>
                    <td className="cell-content">
                      {s.keys?.map((k) => `${k.keytype} ${k.algorithm} #${k.id}`).join(", ") || "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {canManage && !data.dnssec && (
            <form
              className="toolbar"
              onSubmit={(e) => {
                e.preventDefault();
                enable.mutate(algorithm);
              }}
            >
              <Field label="Algorithm" hint="ECDSAP256SHA256 suits almost every zone">
                <select value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
                  {ALGORITHMS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
              </Field>
              <button type="submit" disabled={enable.isPending}>
                {enable.isPending ? "Signing…" : "Sign zone"}
              </button>
            </form>
          )}
          {canManage && data.dnssec && data.mismatched_servers.length > 0 && (
            <div className="card">
              <p>
                {data.mismatched_servers.join(", ")} do not sign with the keys of{" "}
                {data.reference_server}. Signing again copies its keys to them (private keys are
                never stored, so a change queued while a server was down cannot). Then retry or drop
                any parked signing change under Settings, Consistency.
              </p>
              <button
                type="button"
                disabled={enable.isPending}
                onClick={() => enable.mutate(algorithm)}
              >
                {enable.isPending ? "Copying…" : "Copy the keys to every server"}
              </button>
            </div>
          )}
          {canManage && data.dnssec && (
            <p>
              <button
                type="button"
                className="button-danger-outline"
                onClick={() => setConfirmOff(true)}
              >
                Stop signing
              </button>
            </p>
          )}
        </>
      )}
      {confirmOff && (
        <ConfirmDialog
          title={`Stop signing ${zone}?`}
          confirmLabel="Stop signing"
          busy={disable.isPending}
          onConfirm={() => disable.mutate()}
          onCancel={() => setConfirmOff(false)}
        >
          <p>
            Remove the DS records at your registrar <strong>first</strong> and wait for their TTL;
            otherwise resolvers that validate will fail to resolve this zone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
