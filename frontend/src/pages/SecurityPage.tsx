import { PasswordSection } from "../components/PasswordSection";
import { SettingsTabs } from "../components/SettingsTabs";
import { PasskeysSection } from "../components/PasskeysSection";
import { SignInsSection } from "../components/SignInsSection";
import { TwoFactorSection } from "../components/TwoFactorSection";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { readMyAccount } from "../api/users";
import { FormError } from "../components/FormError";

/** The signed-in user's own login security. */
export function SecurityPage() {
  const me = useQuery({ queryKey: keys.myAccount, queryFn: readMyAccount });
  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <FormError message={me.error?.message} />
      {me.data?.auth_provider === "local" && <PasswordSection />}
      {me.data && <TwoFactorSection enabled={me.data.totp_enabled} />}
      <PasskeysSection />
      <SignInsSection />
    </section>
  );
}
