import { SettingsTabs } from "../components/SettingsTabs";
import { SoaDefaultsForm } from "../components/SoaDefaultsForm";

export function ZoneDefaultsPage() {
  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Zone defaults: SOA</h2>
      <SoaDefaultsForm />
    </section>
  );
}
