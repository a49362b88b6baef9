import { NavLink, Outlet } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { setToken } from "../api/token";
import { useMe } from "../hooks/queries";
import { GlobalSearch } from "./GlobalSearch";
import { usePermissions } from "../hooks/usePermissions";
import { useNoticeArea } from "./NotificationProvider";

/** Header with navigation and the signed-in user; pages render below it. */
export function Layout() {
  const me = useMe();
  const client = useQueryClient();
  const { canManageZones } = usePermissions();
  const noticeArea = useNoticeArea();

  function logout() {
    setToken(null);
    client.clear();
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          DNSMate
        </NavLink>
        <nav aria-label="Main">
          <ul className="nav-links">
            <li>
              <NavLink to="/" end>
                Dashboard
              </NavLink>
            </li>
            <li>
              <NavLink to="/zones">Zones</NavLink>
            </li>
            {canManageZones && (
              <li>
                <NavLink to="/templates">Templates</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/audit">Audit log</NavLink>
            </li>
            <li>
              <NavLink to="/settings/powerdns">Settings</NavLink>
            </li>
          </ul>
        </nav>
        <GlobalSearch />
        <div className="user-box">
          {me.data && (
            <span className="user-email" title={`Role: ${me.data.role}`}>
              {me.data.email}
            </span>
          )}
          <button type="button" className="button-secondary" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <div ref={noticeArea} />
        <Outlet />
      </main>
    </div>
  );
}
