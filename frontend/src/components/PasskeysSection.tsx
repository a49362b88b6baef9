import { useState } from "react";
import type { FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createPasskeyOnServer,
  deletePasskey,
  listPasskeys,
  passkeyRegistrationOptions,
} from "../api/passkeys";
import { keys } from "../api/keys";
import { createPasskey } from "../lib/webauthn";
import { Field } from "./Field";
import { FormError } from "./FormError";

/** Your passkeys: add one (named), see when each was last used, remove. */
export function PasskeysSection() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const passkeys = useQuery({ queryKey: keys.passkeys, queryFn: listPasskeys });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.passkeys });
  const add = useMutation({
    mutationFn: async () => {
      const { options, state } = await passkeyRegistrationOptions();
      const credential = await createPasskey(options);
      return createPasskeyOnServer(name.trim(), state, credential);
    },
    onSuccess: () => {
      setName("");
      void refresh();
    },
  });
  const remove = useMutation({ mutationFn: deletePasskey, onSuccess: () => void refresh() });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">
        A passkey signs you in without a password, and is asked for after your password as the
        second factor.
      </p>
      <FormError message={passkeys.error?.message ?? remove.error?.message} />
      <ul className="plain-list" aria-label="Your passkeys">
        {passkeys.data?.map((passkey) => (
          <li key={passkey.id}>
            <strong>{passkey.name}</strong>{" "}
            <span className="muted">
              {passkey.last_used_at
                ? `last used ${new Date(passkey.last_used_at).toLocaleString()}`
                : "not used yet"}
            </span>{" "}
            <button
              type="button"
              className="button-small button-danger-outline"
              onClick={() => remove.mutate(passkey.id)}
              aria-label={`Remove passkey ${passkey.name}`}
            >
              Remove
            </button>
          </li>
        ))}
        {passkeys.data?.length === 0 && <li className="muted">No passkeys yet</li>}
      </ul>
      <form onSubmit={submit}>
        <Field label="Passkey name" hint="Which device or key this is, e.g. “work laptop”.">
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <FormError message={add.error?.message} />
        <button type="submit" disabled={add.isPending}>
          {add.isPending ? "Waiting for the passkey…" : "Add a passkey"}
        </button>
      </form>
    </section>
  );
}
