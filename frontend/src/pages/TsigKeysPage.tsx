import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import {
  createTsigKey,
  deleteTsigKey,
  listTsigKeys,
  revealTsigKey,
  updateTsigKey,
} from "../api/zoneSettings";
import type { TsigKey, TsigKeyCreate } from "../api/zoneSettings";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Field } from "../components/Field";
import { FormError } from "../components/FormError";
import { SecretNotice } from "../components/SecretNotice";
import { SettingsTabs } from "../components/SettingsTabs";
import { useChange } from "../hooks/useChange";

const ALGORITHMS = [
  "hmac-sha256",
  "hmac-sha384",
  "hmac-sha512",
  "hmac-sha224",
  "hmac-sha1",
  "hmac-md5",
];

/** Settings > TSIG keys (admins): the same key on every server, for zone transfers. */
export function TsigKeysPage() {
  const list = useQuery({ queryKey: keys.tsigKeys, queryFn: listTsigKeys });
  const [shown, setShown] = useState<{ name: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<TsigKey | null>(null);
  const remove = useChange<string>({
    run: deleteTsigKey,
    title: (name) => `Delete TSIG key ${name}`,
    invalidate: [keys.tsigKeys],
    onSuccess: () => setDeleting(null),
  });

  const [rotating, setRotating] = useState<TsigKey | null>(null);
  // The browser makes the new secret, as for a new key, so it can be shown once here.
  const rotate = useChange<{ name: string; secret: string }>({
    run: ({ name, secret }) => updateTsigKey(name, { secret }),
    title: ({ name }) => `Rotate the secret of ${name}`,
    invalidate: [keys.tsigKeys],
    onSuccess: (_outcome, key) => {
      setRotating(null);
      setShown(key);
    },
  });

  async function reveal(name: string) {
    const key = await revealTsigKey(name);
    setShown({ name, secret: key.secret });
  }

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>TSIG keys</h2>
      <p className="muted">
        Keys for zone transfers (TSIG-ALLOW-AXFR, AXFR-MASTER-TSIG in a zone's settings), created
        with the same secret on every server. Revealing a secret is recorded in the audit log.
      </p>
      <TsigKeyForm onCreated={setShown} />
      {shown && (
        <SecretNotice secret={shown.secret} dismissLabel="Hide" onDismiss={() => setShown(null)}>
          Secret of <strong>{shown.name}</strong>:
        </SecretNotice>
      )}
      <FormError message={list.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">TSIG keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Algorithm</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>{key.algorithm}</td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button-small button-secondary"
                    onClick={() => void reveal(key.name)}
                    aria-label={`Reveal secret of ${key.name}`}
                  >
                    Reveal secret
                  </button>
                  <button
                    type="button"
                    className="button-small button-secondary"
                    onClick={() => setRotating(key)}
                    aria-label={`Rotate secret of ${key.name}`}
                  >
                    Rotate secret
                  </button>
                  <button
                    type="button"
                    className="button-small button-danger-outline"
                    onClick={() => setDeleting(key)}
                    aria-label={`Delete TSIG key ${key.name}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <tr>
                <td colSpan={3} className="empty">
                  No TSIG keys yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {rotating && (
        <ConfirmDialog
          title={`Rotate the secret of ${rotating.name}?`}
          confirmLabel="Rotate secret"
          busy={rotate.isPending}
          onConfirm={() => rotate.mutate({ name: rotating.name, secret: newSecret() })}
          onCancel={() => setRotating(null)}
        >
          <p>
            Every server gets a new secret, shown once. Secondaries that transfer with this key fail
            until they have it too.
          </p>
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete TSIG key ${deleting.name}?`}
          confirmLabel="Delete key"
          busy={remove.isPending}
          onConfirm={() => remove.mutate(deleting.name)}
          onCancel={() => setDeleting(null)}
        >
          <p>It is removed from every server; zones that name it can no longer use it.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function TsigKeyForm({
  onCreated,
}: {
  onCreated: (key: { name: string; secret: string }) => void;
}) {
  const [values, setValues] = useState<TsigKeyCreate>({
    name: "",
    algorithm: "hmac-sha256",
    secret: "",
  });
  const create = useChange<TsigKeyCreate>({
    run: createTsigKey,
    title: (body) => `Create TSIG key ${body.name}`,
    invalidate: [keys.tsigKeys],
    fieldsInForm: true,
    onSuccess: (_outcome, body) => {
      onCreated({ name: body.name.trim(), secret: body.secret ?? "" });
      setValues({ name: "", algorithm: "hmac-sha256", secret: "" });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    // The browser makes the secret when none is imported, so it can be shown once here.
    create.mutate({ ...values, secret: values.secret?.trim() || newSecret() });
  }

  return (
    <form onSubmit={submit} noValidate className="retention-form">
      <Field label="Key name" error={fieldError(create.error, "name")}>
        <input
          value={values.name}
          onChange={(e) => setValues({ ...values, name: e.target.value })}
          autoComplete="off"
        />
      </Field>
      <Field label="Algorithm" error={fieldError(create.error, "algorithm")}>
        <select
          value={values.algorithm}
          onChange={(e) => setValues({ ...values, algorithm: e.target.value })}
        >
          {ALGORITHMS.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </Field>
      <Field
        label="Secret (to import a key)"
        hint="Base64, as in a BIND key file; empty: DNSMate makes one"
        error={fieldError(create.error, "secret")}
      >
        <input
          value={values.secret ?? ""}
          onChange={(e) => setValues({ ...values, secret: e.target.value })}
          autoComplete="off"
        />
      </Field>
      <FormError message={formError(create.error)} />
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create TSIG key"}
      </button>
    </form>
  );
}

/** 64 random bytes in base64 (what PowerDNS itself makes for a new key). */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  return btoa(String.fromCharCode(...bytes));
}
