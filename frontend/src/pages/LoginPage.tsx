import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Navigate, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { collectSsoSession, login, readSignInMethods } from "../api/auth";
import { passkeySignInOptions, signInWithPasskey } from "../api/passkeys";
import { getPasskey } from "../lib/webauthn";
import { keys } from "../api/keys";
import { ApiError } from "../api/client";
import { setToken } from "../api/token";
import { Field } from "../components/Field";
import { useToken } from "../hooks/useToken";
import { FormError } from "../components/FormError";
import { PasswordField } from "../components/PasswordField";

export function LoginPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [otp, setOtp] = useState("");
  const [needsOtp, setNeedsOtp] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const token = useToken();
  const methods = useQuery({ queryKey: keys.signInMethods, queryFn: readSignInMethods });
  const [params] = useSearchParams();
  // Back from a single sign-on provider: the server holds the token for us, once, or why
  // it refused (a 401 with the reason; the URL never carries a text to show).
  const sso = useMutation({
    mutationFn: collectSsoSession,
    retry: false,
    onSuccess: (data) => {
      setToken(data.access_token);
      navigate("/", { replace: true });
    },
  });
  // The second factor with a passkey instead of a code (after the password).
  const secondPasskey = useMutation({
    mutationFn: async () => {
      const { options, state } = await passkeySignInOptions();
      const credential = await getPasskey(options);
      return login(email.trim(), password, undefined, { state, credential });
    },
    retry: false,
    onSuccess: (data) => {
      setToken(data.access_token);
      navigate(from, { replace: true });
    },
  });
  // Password-less: any passkey registered here names its account.
  const passkey = useMutation({
    mutationFn: async () => {
      const { options, state } = await passkeySignInOptions();
      return signInWithPasskey(state, await getPasskey(options));
    },
    retry: false,
    onSuccess: (data) => {
      setToken(data.access_token);
      navigate(from, { replace: true });
    },
  });
  const ssoDone = params.get("sso") === "done";
  const { mutate: collect, isIdle: ssoIdle } = sso;
  useEffect(() => {
    if (ssoDone && ssoIdle) collect();
  }, [ssoDone, ssoIdle, collect]);
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const mutation = useMutation({
    mutationFn: () => login(email.trim(), password, needsOtp ? otp.trim() : undefined),
    retry: false,
    onError: (error) => {
      // The server asks for the second factor with a 401 and this header.
      if (error instanceof ApiError && error.status === 401 && otpRequired(error)) {
        setNeedsOtp(true);
      }
    },
    onSuccess: (data) => {
      setToken(data.access_token);
      navigate(from, { replace: true });
    },
  });

  if (token && !mutation.isPending && !sso.isPending) return <Navigate to={from} replace />;
  const localOnly = methods.data?.local_login === "break-glass";

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }

  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="brand">DNSMate</span> sign in
        </h1>
        <Field
          label="E-mail"
          hint={methods.data?.ldap ? "Or your directory (LDAP) user name." : undefined}
        >
          <input
            type="text"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <PasswordField
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        {needsOtp && (
          <Field
            label="Two-factor code"
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          >
            <input
              type="text"
              autoComplete="one-time-code"
              required
              autoFocus
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
            />
          </Field>
        )}
        {needsOtp && (
          <button
            type="button"
            className="button-secondary"
            disabled={secondPasskey.isPending}
            onClick={() => secondPasskey.mutate()}
          >
            Use a passkey instead
          </button>
        )}
        <FormError
          message={
            mutation.error?.message ??
            passkey.error?.message ??
            secondPasskey.error?.message ??
            sso.error?.message ??
            undefined
          }
        />
        <button
          type="submit"
          disabled={mutation.isPending}
          className={localOnly ? "button-secondary" : undefined}
        >
          {mutation.isPending ? "Signing in…" : "Sign in"}
        </button>
        {!needsOtp && (
          <div className="sso-providers">
            <button
              type="button"
              className="button-secondary"
              disabled={passkey.isPending}
              onClick={() => passkey.mutate()}
            >
              Use a passkey
            </button>
          </div>
        )}
        {methods.data && methods.data.providers.length > 0 && (
          <div className="sso-providers">
            {methods.data.providers.map((provider) => (
              <a key={provider.id} href={provider.start_url}>
                Sign in with {provider.name}
              </a>
            ))}
          </div>
        )}
      </form>
    </main>
  );
}

function otpRequired(error: ApiError): boolean {
  return error.message.startsWith("Two-factor code required");
}
