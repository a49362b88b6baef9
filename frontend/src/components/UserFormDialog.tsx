import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import type { UserDetail } from "../api/types";
import { createUser, updateUser } from "../api/users";
import { asOutcome, useChange } from "../hooks/useChange";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";

const ROLES = [
  { value: "admin", hint: "Everything, including servers and users." },
  { value: "editor", hint: "Creates and deletes zones; changes every zone's records." },
  { value: "manager", hint: "Changes records in the zones granted below only." },
  { value: "reader", hint: "Sees every zone; changes nothing." },
];

interface Values {
  email: string;
  password: string;
  role: string;
  active: boolean;
  zones: string;
}

/** Add a user, or change one's e-mail, password, role, state and (managers) zones. */
export function UserFormDialog({ user, onClose }: { user?: UserDetail; onClose: () => void }) {
  const [v, setV] = useState<Values>({
    email: user?.email ?? "",
    password: "",
    role: user?.role ?? "reader",
    active: user?.is_active ?? true,
    zones: user?.zones.join(" ") ?? "",
  });
  const change = useChange<Values>({
    run: (values) =>
      asOutcome(user ? `Save user ${values.email}` : `Add user ${values.email}`, () => {
        // One request: the server checks the grants first, so an unknown zone saves nothing.
        const zones =
          values.role === "manager" ? values.zones.split(/[\s,]+/).filter(Boolean) : undefined;
        return user
          ? updateUser(user.id, {
              email: values.email.trim(),
              role: values.role,
              is_active: values.active,
              password: values.password || undefined,
              zones,
            })
          : createUser({
              email: values.email.trim(),
              password: values.password,
              role: values.role,
              zones,
            });
      }),
    title: (values) => `Save user ${values.email}`,
    invalidate: [keys.users],
    fieldsInForm: true,
    onSuccess: onClose,
  });
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setV((old) => ({ ...old, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(v);
  }

  return (
    <Modal title={user ? `Edit ${user.email}` : "Add user"} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="E-mail" error={fieldError(change.error, "email")}>
          <input
            type="email"
            value={v.email}
            onChange={(e) => set("email", e.target.value)}
            autoComplete="off"
          />
        </Field>
        <Field
          label="Password"
          hint={user ? "Leave empty to keep the current password" : undefined}
          error={fieldError(change.error, "password")}
        >
          <input
            type="password"
            value={v.password}
            onChange={(e) => set("password", e.target.value)}
            autoComplete="new-password"
          />
        </Field>
        <Field
          label="Role"
          hint={ROLES.find((r) => r.value === v.role)?.hint}
          error={fieldError(change.error, "role")}
        >
          <select value={v.role} onChange={(e) => set("role", e.target.value)}>
            {ROLES.map((r) => (
              <option key={r.value}>{r.value}</option>
            ))}
          </select>
        </Field>
        {v.role === "manager" && (
          <Field
            label="Granted zones"
            hint="Zone names separated by spaces or commas"
            error={fieldError(change.error, "zones")}
          >
            <textarea rows={2} value={v.zones} onChange={(e) => set("zones", e.target.value)} />
          </Field>
        )}
        {user && (
          <fieldset className="checks">
            <legend>State</legend>
            <label>
              <input
                type="checkbox"
                checked={v.active}
                onChange={(e) => set("active", e.target.checked)}
              />
              Active (can log in and use tokens)
            </label>
          </fieldset>
        )}
        <FormError message={formError(change.error)} />
        <DialogActions
          onCancel={onClose}
          label={user ? "Save user" : "Add user"}
          pending={change.isPending}
        />
      </form>
    </Modal>
  );
}
