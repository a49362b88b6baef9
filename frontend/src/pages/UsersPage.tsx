import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { UserDetail } from "../api/types";
import { deleteUser, listUsers } from "../api/users";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { SettingsTabs } from "../components/SettingsTabs";
import { UserFormDialog } from "../components/UserFormDialog";
import { asOutcome, useChange } from "../hooks/useChange";
import { FormError } from "../components/FormError";
import { Breakable } from "../components/Breakable";
import { EditDeleteButtons } from "../components/EditDeleteButtons";

type Dialog = { kind: "add" } | { kind: "edit" | "delete"; user: UserDetail } | null;

export function UsersPage() {
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers });
  const [dialog, setDialog] = useState<Dialog>(null);
  const remove = useChange<UserDetail>({
    run: (u) => asOutcome(`Delete user ${u.email}`, () => deleteUser(u.id)),
    title: (u) => `Delete user ${u.email}`,
    invalidate: [keys.users],
    onSuccess: () => setDialog(null),
  });

  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <div className="page-head">
        <h2>Users</h2>
        <button type="button" onClick={() => setDialog({ kind: "add" })}>
          + Add user
        </button>
      </div>
      <FormError message={users.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Users</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col" className="hide-narrow">
                Zones
              </th>
              <th scope="col" className="hide-narrow">
                Two-factor
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((user) => (
              <tr key={user.id} className={user.is_active ? undefined : "row-disabled"}>
                <td className="cell-name">
                  <Breakable text={user.email} />
                  {!user.is_active && <span className="badge badge-muted"> inactive</span>}
                  {user.auth_provider !== "local" && (
                    <span className="badge badge-muted" title="Signs in through this provider">
                      {" "}
                      {user.auth_provider}
                    </span>
                  )}
                </td>
                <td>{user.role}</td>
                <td className="hide-narrow cell-name">
                  {user.role === "manager" ? user.zones.join(", ") || "none granted" : "all"}
                </td>
                <td className="hide-narrow">{user.totp_enabled ? "On" : "Off"}</td>
                <td className="cell-actions">
                  <EditDeleteButtons
                    label={`user ${user.email}`}
                    onEdit={() => setDialog({ kind: "edit", user })}
                    onDelete={() => setDialog({ kind: "delete", user })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dialog?.kind === "add" && <UserFormDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && (
        <UserFormDialog user={dialog.user} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${dialog.user.email}?`}
          confirmLabel="Delete user"
          busy={remove.isPending}
          onConfirm={() => remove.mutate(dialog.user)}
          onCancel={() => setDialog(null)}
        >
          <p>The user can no longer log in, and their API tokens stop working.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
