import { PasswordSection } from "../components/PasswordSection";
import { SettingsTabs } from "../components/SettingsTabs";
import { TwoFactorSection } from "../components/TwoFactorSection";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readMyAccount } from "../api/users";

/** The signed-in user's own login security. */
export function SecurityPage() {
  const me = useQuery({ queryKey: keys.myAccount, queryFn: readMyAccount });
  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      {me.error && (
        <p className="form-error" role="alert">
          {me.error.message}
        </p>
      )}
      <PasswordSection />
      {me.data && <TwoFactorSection enabled={me.data.totp_enabled} />}
    </section>
  );
}
