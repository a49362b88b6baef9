import { useQuery } from "@tanstack/react-query";
import { readMySignIns } from "../api/auth";
import { keys } from "../api/keys";
import { FormError } from "./FormError";

/** The signed-in user's latest sign-ins and failed attempts (from the audit log). */
export function SignInsSection() {
  const signIns = useQuery({ queryKey: keys.mySignIns, queryFn: readMySignIns });
  return (
    <section className="card" aria-labelledby="sign-ins-title">
      <h2 id="sign-ins-title">Recent sign-ins</h2>
      <FormError message={signIns.error?.message} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Recent sign-ins</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Outcome</th>
              <th scope="col">How</th>
              <th scope="col">Role</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {signIns.data?.map((entry, index) => (
              <tr key={`${entry.created_at}-${index}`}>
                <td>{new Date(entry.created_at).toLocaleString()}</td>
                <td>
                  <span className={`badge ${entry.succeeded ? "badge-ok" : "badge-bad"}`}>
                    {entry.succeeded ? "signed in" : "failed"}
                  </span>
                  {entry.detail && <div className="muted">{entry.detail}</div>}
                </td>
                <td>{entry.method}</td>
                <td>{entry.role ?? "—"}</td>
                <td>{entry.client_ip ?? "—"}</td>
              </tr>
            ))}
            {signIns.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No sign-ins recorded yet
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
