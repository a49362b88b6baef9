import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { createDnsUpdateKey } from "../api/dnsUpdate";
import { keys } from "../api/keys";
import type { DnsUpdateKeyCreated } from "../api/types";
import { succeeded, useChange } from "../hooks/useChange";
import { splitList } from "../lib/templateRows";
import { DialogActions } from "./DialogActions";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { Modal } from "./Modal";
import { SecretOnceDialog } from "./SecretOnceDialog";

const ALGORITHMS = ["hmac-sha256", "hmac-sha512", "hmac-sha384", "hmac-sha224", "hmac-sha1"];

/** Create a TSIG key for DNS UPDATE clients; its secret is shown here once. */
export function DnsUpdateKeyCreateDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [algorithm, setAlgorithm] = useState(ALGORITHMS[0]);
  const [zones, setZones] = useState("");
  const [created, setCreated] = useState<DnsUpdateKeyCreated | null>(null);
  const change = useChange<void>({
    run: async () => {
      const key = await createDnsUpdateKey({
        name: name.trim(),
        algorithm,
        zones: zones.trim() ? splitList(zones) : null,
      });
      setCreated(key);
      return succeeded(`Create DNS update key ${key.name}`);
    },
    title: () => `Create DNS update key ${name}`,
    invalidate: [keys.dnsUpdateKeys],
    fieldsInForm: true,
  });

  if (created) {
    const nsupdate = `nsupdate -y ${created.algorithm}:${created.name}:${created.secret}`;
    return (
      <SecretOnceDialog
        title={`Key ${created.name} created`}
        fields={[
          { label: "Secret (base64)", value: created.secret },
          { label: "nsupdate", value: nsupdate },
        ]}
        copyLabel="Copy secret"
        onClose={onClose}
      >
        Configure it in your DNS UPDATE client (nsupdate, Kea DHCP-DDNS, certbot, ExternalDNS) with
        the key name and algorithm below.
      </SecretOnceDialog>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate();
  }

  return (
    <Modal title="Create DNS update key" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label="Key name"
          hint="The TSIG key name clients sign with, e.g. dhcp1-ddns"
          error={fieldError(change.error, "name")}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
          />
        </Field>
        <Field label="Algorithm" error={fieldError(change.error, "algorithm")}>
          <select value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
            {ALGORITHMS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Limit to zones"
          hint="Zone names separated by spaces or commas; empty = every zone you can change"
          error={fieldError(change.error, "zones")}
        >
          <input value={zones} onChange={(e) => setZones(e.target.value)} autoComplete="off" />
        </Field>
        <FormError message={formError(change.error)} />
        <DialogActions
          onCancel={onClose}
          label="Create key"
          pending={change.isPending}
          pendingLabel="Creating…"
        />
      </form>
    </Modal>
  );
}
