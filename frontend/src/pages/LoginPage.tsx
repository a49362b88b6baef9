import { useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { login } from "../api/auth";
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

  if (token && !mutation.isPending) return <Navigate to={from} replace />;

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
        <Field label="E-mail">
          <input
            type="email"
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
        <FormError message={mutation.error?.message} />
        <button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

function otpRequired(error: ApiError): boolean {
  return error.message.startsWith("Two-factor code required");
}
