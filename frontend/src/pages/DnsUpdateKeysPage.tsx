import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { deleteDnsUpdateKey, listDnsUpdateKeys } from "../api/dnsUpdate";
import { keys } from "../api/keys";
import type { DnsUpdateKey } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DnsUpdateKeyCreateDialog } from "../components/DnsUpdateKeyCreateDialog";
import { FormError } from "../components/FormError";
import { SettingsTabs } from "../components/SettingsTabs";
import { asOutcome, useChange } from "../hooks/useChange";
import { useMe } from "../hooks/queries";
import { formatTime } from "../lib/time";

/** TSIG keys for RFC 2136 dynamic updates: list, create (secret shown once), revoke. */
export function DnsUpdateKeysPage() {
  const list = useQuery({ queryKey: keys.dnsUpdateKeys, queryFn: listDnsUpdateKeys });
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<DnsUpdateKey | null>(null);
  const revoke = useChange<DnsUpdateKey>({
    run: (k) => asOutcome(`Revoke key ${k.name}`, () => deleteDnsUpdateKey(k.id)),
    title: (k) => `Revoke key ${k.name}`,
    invalidate: [keys.dnsUpdateKeys],
    onSuccess: () => setRevoking(null),
  });

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <div className="page-head">
        <h2>DNS update keys</h2>
        <button type="button" onClick={() => setCreating(true)}>
          + Create key
        </button>
      </div>
      <p className="muted">
        TSIG keys for RFC 2136 dynamic updates (nsupdate, DHCP servers, certbot, ExternalDNS). A key
        acts as you, with your role and zones, optionally limited to some zones; every update goes
        to all servers and into the audit log.
        {me.data?.role === "admin" ? " As an admin you see every user's keys." : ""}
      </p>
      <FormError message={list.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">DNS update keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Algorithm</th>
              <th scope="col">Zones</th>
              <th scope="col" className="hide-narrow">
                Last used
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((key) => (
              <tr key={key.id}>
                <td className="cell-name">{key.name}</td>
                <td>
                  <code>{key.algorithm}</code>
                </td>
                <td className="cell-name">{key.zones ? key.zones.join(", ") : "all zones"}</td>
                <td className="hide-narrow">{formatTime(key.last_used_at)}</td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button-small button-danger-outline"
                    onClick={() => setRevoking(key)}
                    aria-label={`Revoke key ${key.name}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
            {list.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No DNS update keys yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {creating && <DnsUpdateKeyCreateDialog onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke key"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>Updates signed with this key are refused from now on.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
