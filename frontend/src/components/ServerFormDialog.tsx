import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { createServer, updateServer } from "../api/servers";
import type { PowerDNSServer, PowerDNSServerCreate } from "../api/types";
import { asOutcome, useChange } from "../hooks/useChange";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";

interface Props {
  /** The server being edited; absent to add one. */
  server?: PowerDNSServer;
  onClose: () => void;
}

/** Add or edit a PowerDNS server. The API key is write-only: never shown, kept when empty. */
export function ServerFormDialog({ server, onClose }: Props) {
  const [name, setName] = useState(server?.name ?? "");
  const [apiUrl, setApiUrl] = useState(server?.api_url ?? "http://127.0.0.1:8081");
  const [apiKey, setApiKey] = useState("");
  const [serverId, setServerId] = useState(server?.server_id ?? "localhost");
  const [timeout, setTimeoutSeconds] = useState(String(server?.timeout_seconds ?? 10));
  const [verifySsl, setVerifySsl] = useState(server?.verify_ssl ?? true);
  const [isDefault, setIsDefault] = useState(server?.is_default ?? false);
  const [isActive, setIsActive] = useState(server?.is_active ?? true);
  const [multi, setMulti] = useState(server?.multi_server_mode ?? false);

  const change = useChange<PowerDNSServerCreate>({
    run: (body) =>
      server
        ? asOutcome(`Save server ${body.name}`, () =>
            updateServer(server.id, { ...body, api_key: body.api_key || undefined }),
          )
        : asOutcome(`Add server ${body.name}`, () => createServer(body)),
    title: (body) => (server ? `Save server ${body.name}` : `Add server ${body.name}`),
    invalidate: [keys.servers, keys.zones],
    fieldsInForm: true,
    onSuccess: onClose,
  });
  const error = change.error;

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
        {!server && multi && (
          <p className="field-hint" role="note">
            A new server that is empty answers &quot;Zone not found&quot; to changes of existing
            zones. To copy every zone first, add it without multi-server mode, then use
            &quot;Onboard…&quot; on its card.
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
