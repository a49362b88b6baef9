import { NavLink } from "react-router-dom";
import { usePermissions } from "../hooks/usePermissions";

/** Settings sections in order; `admin` ones are shown to admins only. */
const TABS: { to: string; label: string; admin?: boolean }[] = [
  { to: "/settings/powerdns", label: "PowerDNS" },
  { to: "/settings/tokens", label: "API tokens" },
  { to: "/settings/dns-update-keys", label: "DNS update keys" },
  { to: "/settings/security", label: "Security" },
  { to: "/settings/users", label: "Users", admin: true },
  { to: "/settings/consistency", label: "Consistency", admin: true },
  { to: "/settings/sync", label: "Sync", admin: true },
  { to: "/settings/webhooks", label: "Webhooks", admin: true },
  { to: "/settings/zone-defaults", label: "Zone defaults", admin: true },
  { to: "/settings/tsig-keys", label: "TSIG keys", admin: true },
  { to: "/settings/versions", label: "Versions", admin: true },
  { to: "/settings/records", label: "Record defaults", admin: true },
];

/** Settings sections; the admin-only ones for admins. */
export function SettingsTabs() {
  const { isAdmin } = usePermissions();
  return (
    <nav className="tabs" aria-label="Settings sections">
      {TABS.filter((tab) => isAdmin || !tab.admin).map((tab) => (
        <NavLink key={tab.to} className="tab" to={tab.to}>
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
