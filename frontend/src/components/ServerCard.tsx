import { useId } from "react";
import { useMutation } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { testServer, updateServer } from "../api/servers";
import type { PowerDNSServer, PowerDNSServerUpdate, ServerHealth } from "../api/types";
import { asOutcome, useChange } from "../hooks/useChange";
import { HealthBadge } from "./HealthBadge";
import { MultiModeBadge } from "./MultiModeBadge";

interface Props {
  server: PowerDNSServer;
  health: ServerHealth | undefined;
  /** Admins change servers; everyone else sees them. */
  canEdit: boolean;
  onEdit: () => void;
  onDelete: () => void;
  /** Seed it from another server, then make it a write target. */
  onOnboard: () => void;
  /** Stop writing to it. */
  onRetire: () => void;
}

/** One server in Settings > PowerDNS: switches, indicator, live health, test, edit. */
export function ServerCard({
  server,
  health,
  canEdit,
  onEdit,
  onDelete,
  onOnboard,
  onRetire,
}: Props) {
  const seeding = server.lifecycle === "seeding";
  const pending = server.lifecycle === "pending";
  const id = useId();
  const toggle = useChange<{ label: string; changes: PowerDNSServerUpdate }>({
    run: ({ label, changes }) => asOutcome(label, () => updateServer(server.id, changes)),
    title: ({ label }) => label,
    invalidate: [keys.servers, keys.zones],
  });
  const test = useMutation({ mutationFn: () => testServer(server.id), retry: false });
  const busy = toggle.isPending || !canEdit;

  return (
    <li className="card server-card" aria-labelledby={`${id}-name`} data-server={server.name}>
      <div className="server-card-head">
        <h3 id={`${id}-name`}>{server.name}</h3>
        {server.is_default && <span className="badge badge-default">★ Default</span>}
        <MultiModeBadge enabled={server.multi_server_mode} />
        {seeding && (
          <span className="badge badge-warn" title="Being onboarded: writes are queued for it">
            ⏳ Seeding
          </span>
        )}
        {pending && (
          <span
            className="badge badge-warn"
            title="Added while the write targets hold zones: onboard it to make it a write target"
          >
            Not onboarded
          </span>
        )}
      </div>
      <p className="server-url">
        <code>{server.api_url}</code>
      </p>
      <div className="badges">
        <HealthBadge health={health} />
      </div>
      <div className="switches">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={server.is_active}
            disabled={busy}
            onChange={(e) =>
              toggle.mutate({
                label: `${e.target.checked ? "Activate" : "Deactivate"} ${server.name}`,
                changes: { is_active: e.target.checked },
              })
            }
          />
          Active
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={server.multi_server_mode}
            disabled={busy || pending || seeding}
            title={
              pending || seeding ? "Onboard it first: it becomes a write target then" : undefined
            }
            onChange={(e) =>
              toggle.mutate({
                label: `Multi-server mode ${e.target.checked ? "on" : "off"} for ${server.name}`,
                changes: { multi_server_mode: e.target.checked },
              })
            }
          />
          Multi-server mode
        </label>
      </div>
      <div className="card-actions">
        {canEdit && (
          <button
            type="button"
            className="button-secondary"
            onClick={() => test.mutate()}
            disabled={test.isPending}
          >
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
        )}
        {canEdit && !server.is_default && (
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() =>
              toggle.mutate({
                label: `Make ${server.name} the default`,
                changes: { is_default: true },
              })
            }
          >
            Make default
          </button>
        )}
        {canEdit && (seeding || !server.multi_server_mode) && (
          <button type="button" className="button-secondary" onClick={onOnboard}>
            {seeding ? "Resume onboarding" : "Onboard…"}
          </button>
        )}
        {canEdit && (seeding || server.multi_server_mode) && (
          <button type="button" className="button-secondary" onClick={onRetire}>
            Retire…
          </button>
        )}
        {canEdit && (
          <>
            <button type="button" className="button-secondary" onClick={onEdit}>
              Edit
            </button>
            <button type="button" className="button-danger-outline" onClick={onDelete}>
              Remove
            </button>
          </>
        )}
      </div>
      <div aria-live="polite">
        {test.data && (
          <p className={test.data.healthy ? "test-ok" : "test-bad"} data-testid="test-result">
            {test.data.healthy
              ? `✓ Connected: PowerDNS ${test.data.version ?? ""}, ${Math.round(test.data.latency_ms ?? 0)} ms`
              : `✕ Connection failed: ${test.data.error}`}
          </p>
        )}
        {test.error && (
          <p className="test-bad" data-testid="test-result">
            ✕ {test.error.message}
          </p>
        )}
      </div>
    </li>
  );
}
