import { useMe } from "./queries";

/** What the logged-in user may change; the server enforces it, this only hides buttons. */
export function usePermissions() {
  const role = useMe().data?.role;
  return {
    role,
    isAdmin: role === "admin",
    /** Create and delete zones (admin, editor). */
    canManageZones: role === "admin" || role === "editor",
    /** Change records in the zones they see (everyone but readers). */
    canWriteRecords: role !== undefined && role !== "reader",
  };
}
