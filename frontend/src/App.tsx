import { Route, Routes } from "react-router-dom";
import { Layout } from "./components/Layout";
import { RequireAuth } from "./components/RequireAuth";
import { DashboardPage } from "./pages/DashboardPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { SettingsPage } from "./pages/SettingsPage";
import { AuditPage } from "./pages/AuditPage";
import { ConsistencyPage } from "./pages/ConsistencyPage";
import { WebhooksPage } from "./pages/WebhooksPage";
import { SyncPage } from "./pages/SyncPage";
import { SyncZonePage } from "./pages/SyncZonePage";
import { TokensPage } from "./pages/TokensPage";
import { DnsUpdateKeysPage } from "./pages/DnsUpdateKeysPage";
import { SecurityPage } from "./pages/SecurityPage";
import { TemplatesPage } from "./pages/TemplatesPage";
import { UsersPage } from "./pages/UsersPage";
import { VersionSettingsPage } from "./pages/VersionSettingsPage";
import { ZoneDefaultsPage } from "./pages/ZoneDefaultsPage";
import { TsigKeysPage } from "./pages/TsigKeysPage";
import { RecordSettingsPage } from "./pages/RecordSettingsPage";
import { ZoneDetailPage } from "./pages/ZoneDetailPage";
import { ZonesPage } from "./pages/ZonesPage";
import { SearchPage } from "./pages/SearchPage";

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="zones" element={<ZonesPage />} />
        <Route path="zones/:zone" element={<ZoneDetailPage />} />
        <Route path="templates" element={<TemplatesPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="settings/powerdns" element={<SettingsPage />} />
        <Route path="settings/tokens" element={<TokensPage />} />
        <Route path="settings/dns-update-keys" element={<DnsUpdateKeysPage />} />
        <Route path="settings/security" element={<SecurityPage />} />
        <Route path="settings/users" element={<UsersPage />} />
        <Route path="settings/consistency" element={<ConsistencyPage />} />
        <Route path="settings/webhooks" element={<WebhooksPage />} />
        <Route path="settings/sync" element={<SyncPage />} />
        <Route path="settings/sync/:zone" element={<SyncZonePage />} />
        <Route path="settings/versions" element={<VersionSettingsPage />} />
        <Route path="settings/zone-defaults" element={<ZoneDefaultsPage />} />
        <Route path="settings/tsig-keys" element={<TsigKeysPage />} />
        <Route path="settings/records" element={<RecordSettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
