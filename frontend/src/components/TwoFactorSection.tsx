import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { disableTwoFactor, enableTwoFactor, startTwoFactorSetup } from "../api/auth";
import { keys } from "../api/keys";
import { setToken } from "../api/token";
import type { TwoFactorSetup } from "../api/types";
import { CopyButton } from "./CopyButton";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { PasswordField } from "./PasswordField";

/** Two-factor login for the signed-in user: set up (QR code + secret), enable, disable. */
export function TwoFactorSection({ enabled }: { enabled: boolean }) {
  const queryClient = useQueryClient();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  // The QR image of one otpauth URI: shown only while that URI is the one being set up.
  const [qr, setQr] = useState<{ uri: string; image: string } | null>(null);
  const qrImage = setup && qr?.uri === setup.otpauth_uri ? qr.image : null;
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: keys.me });

  const start = useMutation({ mutationFn: startTwoFactorSetup, onSuccess: setSetup });
  const enable = useMutation({
    mutationFn: () => enableTwoFactor(code.trim()),
    onSuccess: (data) => {
      // Turning two-factor login on ends every other session; this one continues.
      setToken(data.access_token);
      setRecovery(data.recovery_codes);
      setSetup(null);
      setCode("");
      void refreshMe();
    },
  });
  const disable = useMutation({
    mutationFn: () => disableTwoFactor(password, code.trim()),
    onSuccess: (token) => {
      // The sessions opened with the second factor end; this one continues.
      setToken(token.access_token);
      setPassword("");
      setCode("");
      setRecovery(null);
      void refreshMe();
    },
  });

  useEffect(() => {
    if (!setup) return;
    const uri = setup.otpauth_uri;
    let current = true;
    QRCode.toDataURL(uri, { margin: 1, width: 200 })
      .then((image) => current && setQr({ uri, image }))
      .catch(() => current && setQr(null));
    return () => {
      current = false;
    };
  }, [setup]);

  function submitEnable(event: FormEvent) {
    event.preventDefault();
    enable.mutate();
  }
  function submitDisable(event: FormEvent) {
    event.preventDefault();
    disable.mutate();
  }
  const error = start.error ?? enable.error ?? disable.error;

  return (
    <section aria-labelledby="twofa-title">
      <h2 id="twofa-title">Two-factor authentication</h2>
      <p role="status">
        Two-factor login is <strong>{enabled ? "on" : "off"}</strong>.
      </p>
      {recovery && (
        <div className="card">
          <h3>Recovery codes</h3>
          <p>
            Shown only this once. Each code logs you in once in place of an authenticator code; keep
            them somewhere safe.
          </p>
          <pre aria-label="Recovery codes">{recovery.join("\n")}</pre>
          <CopyButton text={recovery.join("\n")} label="Copy recovery codes" />
        </div>
      )}
      {!enabled && !setup && (
        <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
          Set up two-factor login
        </button>
      )}
      {!enabled && setup && (
        <form className="card" onSubmit={submitEnable} aria-label="Enable two-factor login">
          <p>Scan this QR code with your authenticator app, or enter the secret by hand.</p>
          {qrImage && (
            <img src={qrImage} width={200} height={200} alt="QR code of the two-factor secret" />
          )}
          <p>
            Secret: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
          <Field label="Authenticator code" hint="The 6-digit code your app shows now.">
            <input
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </Field>
          <button type="submit" disabled={enable.isPending}>
            Enable two-factor login
          </button>
        </form>
      )}
      {enabled && (
        <form className="card" onSubmit={submitDisable} aria-label="Disable two-factor login">
          <PasswordField
            label="Current password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
          />
          <Field label="Two-factor code" hint="An authenticator code or a recovery code.">
            <input
              type="text"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </Field>
          <button type="submit" className="button-danger" disabled={disable.isPending}>
            Disable two-factor login
          </button>
        </form>
      )}
      <FormError message={error?.message} />
    </section>
  );
}
