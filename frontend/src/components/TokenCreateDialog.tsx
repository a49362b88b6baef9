import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { createToken } from "../api/tokens";
import type { ApiTokenCreated } from "../api/types";
import { succeeded, useChange } from "../hooks/useChange";
import { splitList } from "../lib/templateRows";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";
import { SecretOnceDialog } from "./SecretOnceDialog";

/** Create an API token; its secret is shown here once, with a copy button. */
export function TokenCreateDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [readOnly, setReadOnly] = useState(false);
  const [zones, setZones] = useState("");
  const [hosts, setHosts] = useState("");
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const change = useChange<void>({
    run: async () => {
      const token = await createToken({
        name: name.trim(),
        read_only: readOnly,
        zones: zones.trim() ? splitList(zones) : null,
        hosts: hosts.trim() ? splitList(hosts) : null,
        expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      });
      setCreated(token);
      return succeeded(`Create token ${token.name}`);
    },
    title: () => `Create token ${name}`,
    invalidate: [keys.tokens],
    fieldsInForm: true,
  });

  if (created) {
    return (
      <SecretOnceDialog
        title={`Token ${created.name} created`}
        fields={[{ label: "Token secret", value: created.token }]}
        copyLabel="Copy token"
        onClose={onClose}
      >
        Send it as <code>Authorization: Bearer …</code> (or <code>X-API-Key</code> on the
        PowerDNS-compatible API).
      </SecretOnceDialog>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate();
  }

  return (
    <Modal title="Create API token" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label="Token name"
          hint="What uses it, e.g. certbot on web1"
          error={fieldError(change.error, "name")}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
          />
        </Field>
        <Field
          label="Limit to zones"
          hint="Zone names separated by spaces or commas; empty = every zone you can see"
          error={fieldError(change.error, "zones")}
        >
          <input value={zones} onChange={(e) => setZones(e.target.value)} autoComplete="off" />
        </Field>
        <Field
          label="DynDNS host names"
          hint="Makes a DynDNS token for /nic/update that changes only these names (e.g. home.example.com); empty = a normal API token"
          error={fieldError(change.error, "hosts")}
        >
          <input value={hosts} onChange={(e) => setHosts(e.target.value)} autoComplete="off" />
        </Field>
        <Field
          label="Expires on"
          hint="Empty = never"
          error={fieldError(change.error, "expires_at")}
        >
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </Field>
        <fieldset className="checks">
          <legend>Access</legend>
          <label>
            <input
              type="checkbox"
              checked={readOnly}
              onChange={(e) => setReadOnly(e.target.checked)}
            />
            Read-only (can never change anything)
          </label>
        </fieldset>
        <FormError message={formError(change.error)} />
        <DialogActions
          onCancel={onClose}
          label="Create token"
          pending={change.isPending}
          pendingLabel="Creating…"
        />
      </form>
    </Modal>
  );
}
