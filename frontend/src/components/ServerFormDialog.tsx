import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { createServer, updateServer } from "../api/servers";
import type { PowerDNSServer, PowerDNSServerAdded, PowerDNSServerCreate } from "../api/types";
import { asOutcome, useChange } from "../hooks/useChange";
import { Field } from "./Field";
import { JobProgress } from "./JobProgress";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";
import { OnboardSummary } from "./OnboardSummary";
import { ServerOptions } from "./ServerPicker";

interface Props {
  /** The server being edited; absent to add one. */
  server?: PowerDNSServer;
  /** The configured servers (to add one: the servers it can be seeded from). */
  servers?: PowerDNSServer[];
  /** Open the onboarding of a server just added that is not a write target yet. */
  onOnboard?: (server: PowerDNSServer) => void;
  onClose: () => void;
}

const ONBOARDED = [keys.servers, keys.sync, keys.zones] as const;

/**
 * Add or edit a PowerDNS server. The API key is write-only: never shown, kept when empty.
 * A server added with multi-server mode on while the write targets hold zones is not a
 * write target until onboarded: the dialog says so and offers the onboarding, or seeds it
 * at once from the server chosen under "Seed from".
 */
export function ServerFormDialog({ server, servers = [], onOnboard, onClose }: Props) {
  const [name, setName] = useState(server?.name ?? "");
  const [apiUrl, setApiUrl] = useState(server?.api_url ?? "http://127.0.0.1:8081");
  const [apiKey, setApiKey] = useState("");
  const [serverId, setServerId] = useState(server?.server_id ?? "localhost");
  const [timeout, setTimeoutSeconds] = useState(String(server?.timeout_seconds ?? 10));
  const [verifySsl, setVerifySsl] = useState(server?.verify_ssl ?? true);
  const [isDefault, setIsDefault] = useState(server?.is_default ?? false);
  const [isActive, setIsActive] = useState(server?.is_active ?? true);
  const [multi, setMulti] = useState(server?.multi_server_mode ?? false);
  const [seedFrom, setSeedFrom] = useState<number | null>(null);
  const [added, setAdded] = useState<PowerDNSServerAdded | null>(null);
  const [closing, setClosing] = useState(false);
  const sources = servers.filter((s) => s.is_active && s.lifecycle === "active");

  const change = useChange<PowerDNSServerCreate>({
    run: (body) =>
      server
        ? asOutcome(`Save server ${body.name}`, () =>
            updateServer(server.id, { ...body, api_key: body.api_key || undefined }),
          )
        : asOutcome(`Add server ${body.name}`, async () => {
            const created = await createServer(body);
            // Not a write target yet (or being seeded): the dialog stays to say so.
            if (created.job || created.onboarding) setAdded(created);
          }),
    title: (body) => (server ? `Save server ${body.name}` : `Add server ${body.name}`),
    invalidate: [keys.servers, keys.zones],
    fieldsInForm: true,
    onSuccess: () => setClosing(true),
  });
  const error = change.error;

  useEffect(() => {
    if (closing && !added) onClose();
  }, [closing, added, onClose]);

  if (added) {
    return (
      <Modal title={`${added.name} added`} onClose={onClose}>
        {added.job ? (
          <JobProgress
            jobId={added.job.id}
            invalidate={ONBOARDED}
            summary={(job) => <OnboardSummary job={job} />}
            onClose={onClose}
          />
        ) : (
          <>
            <p role="status" data-testid="onboarding-needed">
              {added.onboarding}
            </p>
            <div className="dialog-actions">
              <button type="button" className="button-secondary" onClick={onClose}>
                Later
              </button>
              {onOnboard && (
                <button type="button" onClick={() => onOnboard(added)}>
                  Onboard now…
                </button>
              )}
            </div>
          </>
        )}
      </Modal>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({
      name: name.trim(),
      api_url: apiUrl.trim(),
      api_key: apiKey,
      server_id: serverId.trim() || "localhost",
      timeout_seconds: Number(timeout),
      verify_ssl: verifySsl,
      is_default: isDefault,
      is_active: isActive,
      multi_server_mode: multi,
      seed_from: server ? undefined : (seedFrom ?? undefined),
    });
  }

  return (
    <Modal title={server ? `Edit ${server.name}` : "Add PowerDNS server"} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" error={fieldError(error, "name")}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
          />
        </Field>
        <Field
          label="API URL"
          hint="The PowerDNS webserver, e.g. http://127.0.0.1:8081 (without /api/v1)"
          error={fieldError(error, "api_url")}
        >
          <input type="url" value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} required />
        </Field>
        <Field
          label="API key"
          hint={
            server
              ? "Write-only: the stored key is never shown. Leave empty to keep it."
              : "The api-key from pdns.conf. Stored encrypted and never shown again."
          }
          error={fieldError(error, "api_key")}
        >
          <input
            type="password"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            autoComplete="new-password"
            placeholder={server ? "•••••••• (unchanged)" : ""}
          />
        </Field>
        <div className="field-row">
          <Field
            label="Server id"
            hint="Almost always localhost"
            error={fieldError(error, "server_id")}
          >
            <input value={serverId} onChange={(e) => setServerId(e.target.value)} />
          </Field>
          <Field label="Timeout (s)" error={fieldError(error, "timeout_seconds")}>
            <input
              type="number"
              min={1}
              max={120}
              value={timeout}
              onChange={(e) => setTimeoutSeconds(e.target.value)}
            />
          </Field>
        </div>
        <fieldset className="checks">
          <legend>Options</legend>
          <label>
            <input
              type="checkbox"
              checked={isActive}
              onChange={(e) => setIsActive(e.target.checked)}
            />
            Active
          </label>
          <label>
            <input
              type="checkbox"
              checked={isDefault}
              onChange={(e) => setIsDefault(e.target.checked)}
            />
            Default server
          </label>
          <label>
            <input type="checkbox" checked={multi} onChange={(e) => setMulti(e.target.checked)} />
            Multi-server mode (receive every write)
          </label>
          <label>
            <input
              type="checkbox"
              checked={verifySsl}
              onChange={(e) => setVerifySsl(e.target.checked)}
            />
            Verify TLS certificate
          </label>
        </fieldset>
        {!server && sources.length > 0 && (
          <Field
            label="Seed from"
            hint="Copy every zone of this server onto the new one (a job with progress); it becomes a write target when done"
            error={fieldError(error, "seed_from")}
          >
            <select
              value={seedFrom ?? ""}
              onChange={(e) => setSeedFrom(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">Do not seed now</option>
              <ServerOptions servers={sources} />
            </select>
          </Field>
        )}
        {!server && multi && seedFrom === null && sources.length > 0 && (
          <p className="field-hint" role="note" data-testid="join-note">
            If the write targets already hold zones, the new server is added{" "}
            <strong>not onboarded</strong>: it receives no write until it is onboarded (plan, then
            seed every zone). Choose a server under &quot;Seed from&quot; to onboard it at once.
          </p>
        )}
        <FormError message={formError(error)} />
        <DialogActions
          onCancel={onClose}
          label={server ? "Save server" : "Add server"}
          pending={change.isPending}
        />
      </form>
    </Modal>
  );
}
