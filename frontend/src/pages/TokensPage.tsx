import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { deleteToken, listTokens } from "../api/tokens";
import type { ApiToken } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { SettingsTabs } from "../components/SettingsTabs";
import { TokenCreateDialog } from "../components/TokenCreateDialog";
import { asOutcome, useChange } from "../hooks/useChange";
import { useMe } from "../hooks/queries";
import { formatTime } from "../lib/time";
import { FormError } from "../components/FormError";

export function TokensPage() {
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: listTokens });
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useChange<ApiToken>({
    run: (t) => asOutcome(`Revoke token ${t.name}`, () => deleteToken(t.id)),
    title: (t) => `Revoke token ${t.name}`,
    invalidate: [keys.tokens],
    onSuccess: () => setRevoking(null),
  });

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <div className="page-head">
        <h2>API tokens</h2>
        <button type="button" onClick={() => setCreating(true)}>
          + Create token
        </button>
      </div>
      <p className="muted">
        Tokens act as you (with your role), optionally read-only or limited to some zones.
        {me.data?.role === "admin" ? " As an admin you see every user's tokens." : ""}
      </p>
      <FormError message={tokens.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Access</th>
              <th scope="col" className="hide-narrow">
                Expires
              </th>
              <th scope="col" className="hide-narrow">
                Last used
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((token) => (
              <tr key={token.id}>
                <td className="cell-name">{token.name}</td>
                <td>
                  <code>{token.prefix}…</code>
                </td>
                <td className="cell-name">
                  {token.read_only ? "Read-only" : "Read/write"}
                  {token.zones ? ` · ${token.zones.join(", ")}` : " · all zones"}
                  {token.hosts ? ` · DynDNS: ${token.hosts.join(", ")}` : ""}
                </td>
                <td className="hide-narrow">{formatTime(token.expires_at)}</td>
                <td className="hide-narrow">{formatTime(token.last_used_at)}</td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button-small button-danger-outline"
                    onClick={() => setRevoking(token)}
                    aria-label={`Revoke token ${token.name}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
            {tokens.data?.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No API tokens yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {creating && <TokenCreateDialog onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke token"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>Programs using this token stop working at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
