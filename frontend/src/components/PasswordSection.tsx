import { useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { changeMyPassword } from "../api/auth";
import { fieldError, formError } from "../api/client";
import { setToken } from "../api/token";
import { FormError } from "./FormError";
import { PasswordField } from "./PasswordField";

/** Change the signed-in user's password; other devices are logged out, this one stays. */
export function PasswordSection() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const change = useMutation({
    mutationFn: () => changeMyPassword(current, next),
    onSuccess: (token) => {
      setToken(token.access_token);
      setCurrent("");
      setNext("");
      setRepeat("");
    },
  });
  const mismatch = repeat !== "" && repeat !== next ? "The two new passwords differ." : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!mismatch) change.mutate();
  }

  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="card" onSubmit={submit} aria-label="Change password">
        <PasswordField
          label="Current password"
          error={fieldError(change.error, "current_password")}
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <PasswordField
          label="New password"
          hint="At least 12 characters, not a common password."
          error={fieldError(change.error, "new_password")}
          autoComplete="new-password"
          value={next}
          onChange={setNext}
        />
        <PasswordField
          label="Repeat the new password"
          error={mismatch}
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
        />
        <button type="submit" disabled={change.isPending || Boolean(mismatch)}>
          Change password
        </button>
        {change.isSuccess && (
          <p role="status">Password changed. Your other devices have been logged out.</p>
        )}
        <FormError message={formError(change.error)} />
      </form>
    </section>
  );
}
