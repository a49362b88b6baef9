import { NavLink } from "react-router-dom";
import { usePermissions } from "../hooks/usePermissions";

/** Settings sections; Users only for admins. */
export function SettingsTabs() {
  const { isAdmin } = usePermissions();
  return (
    <nav className="tabs" aria-label="Settings sections">
      <NavLink className="tab" to="/settings/powerdns">
        PowerDNS
      </NavLink>
      <NavLink className="tab" to="/settings/tokens">
        API tokens
      </NavLink>
      <NavLink className="tab" to="/settings/dns-update-keys">
        DNS update keys
      </NavLink>
      <NavLink className="tab" to="/settings/security">
        Security
      </NavLink>
      {isAdmin && (
        <NavLink className="tab" to="/settings/users">
          Users
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/consistency">
          Consistency
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/sync">
          Sync
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/webhooks">
          Webhooks
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/zone-defaults">
          Zone defaults
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/tsig-keys">
          TSIG keys
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/versions">
          Versions
        </NavLink>
      )}
      {isAdmin && (
        <NavLink className="tab" to="/settings/records">
          Record defaults
        </NavLink>
      )}
    </nav>
  );
}
