import { RetentionForm } from "../components/RetentionForm";
import { SettingsTabs } from "../components/SettingsTabs";

export function VersionSettingsPage() {
  return (
    <section>
      <h1>Settings</h1>
      <SettingsTabs />
      <h2>Zone versions</h2>
      <p className="muted">
        Every change of a zone records a version you can compare, export or roll back to.
      </p>
      <RetentionForm />
    </section>
  );
}
