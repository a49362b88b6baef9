import { useState } from "react";
import { keys } from "../api/keys";
import { deleteServer } from "../api/servers";
import type { PowerDNSServer } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { MultiServerHelp } from "../components/MultiServerHelp";
import { OnboardDialog } from "../components/OnboardDialog";
import { RetireDialog } from "../components/RetireDialog";
import { ServerCard } from "../components/ServerCard";
import { ServerFormDialog } from "../components/ServerFormDialog";
import { SettingsTabs } from "../components/SettingsTabs";
import { WriteTargets } from "../components/WriteTargets";
import { useHealth, useServers } from "../hooks/queries";
import { asOutcome, useChange } from "../hooks/useChange";
import { usePermissions } from "../hooks/usePermissions";
import { FormError } from "../components/FormError";

type Dialog =
  | { kind: "add" }
  | { kind: "edit" | "delete" | "onboard" | "retire"; server: PowerDNSServer }
  | null;

export function SettingsPage() {
  const servers = useServers();
  const health = useHealth();
  const [dialog, setDialog] = useState<Dialog>(null);
  const { isAdmin } = usePermissions();
  const remove = useChange<PowerDNSServer>({
    run: (s) => asOutcome(`Remove server ${s.name}`, () => deleteServer(s.id)),
    title: (s) => `Remove server ${s.name}`,
    invalidate: [keys.servers, keys.zones],
    onSuccess: () => setDialog(null),
  });
  const list = servers.data ?? [];

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <div className="page-head">
        <h2>PowerDNS servers</h2>
        {isAdmin && (
          <button type="button" onClick={() => setDialog({ kind: "add" })}>
            + Add server
          </button>
        )}
      </div>
      {servers.data ? (
        <WriteTargets servers={list} />
      ) : (
        <p className="targets muted">Loading servers…</p>
      )}
      <FormError message={servers.error?.message} />
      {servers.data && list.length === 0 && <p>No PowerDNS server configured yet.</p>}
      <ul className="server-grid" aria-label="Configured PowerDNS servers">
        {list.map((server) => (
          <ServerCard
            key={server.id}
            server={server}
            health={health.data?.find((h) => h.id === server.id)}
            canEdit={isAdmin}
            onEdit={() => setDialog({ kind: "edit", server })}
            onDelete={() => setDialog({ kind: "delete", server })}
            onOnboard={() => setDialog({ kind: "onboard", server })}
            onRetire={() => setDialog({ kind: "retire", server })}
          />
        ))}
      </ul>
      <MultiServerHelp />

      {dialog?.kind === "add" && (
        <ServerFormDialog
          servers={list}
          onOnboard={(server) => setDialog({ kind: "onboard", server })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "edit" && (
        <ServerFormDialog server={dialog.server} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "onboard" && (
        <OnboardDialog server={dialog.server} servers={list} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "retire" && (
        <RetireDialog server={dialog.server} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Remove ${dialog.server.name}?`}
          confirmLabel="Remove server"
          busy={remove.isPending}
          onConfirm={() => remove.mutate(dialog.server)}
          onCancel={() => setDialog(null)}
        >
          <p>
            DNSMate forgets this server. Its zones on PowerDNS are not touched, and it no longer
            receives changes.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
