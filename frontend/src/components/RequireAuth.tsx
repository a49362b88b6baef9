import { Navigate, useLocation } from "react-router-dom";
import type { ReactNode } from "react";
import { useToken } from "../hooks/useToken";

/** Sends a visitor without a token to the login page, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useToken();
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}
