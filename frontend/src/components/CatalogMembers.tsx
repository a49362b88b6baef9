import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { keys } from "../api/keys";
import { readCatalogMembers } from "../api/zoneSettings";
import { FormError } from "./FormError";

/** The member zones of a Producer (catalog) zone, each linking to its page. */
export function CatalogMembers({ zone }: { zone: string }) {
  const members = useQuery({
    queryKey: keys.catalogMembers(zone),
    queryFn: () => readCatalogMembers(zone),
  });
  return (
    <section className="catalog-members" aria-label="Catalog members">
      <h3>Member zones</h3>
      <p className="field-hint">
        Consumer servers provision these zones as secondaries of this server. Add a Master zone here
        by setting its catalog to {zone} in its settings.
      </p>
      {members.error && <FormError message={members.error.message} />}
      {!members.data && !members.error && <p className="muted">Loading…</p>}
      {members.data &&
        (members.data.count === 0 ? (
          <p className="muted">No member zones yet.</p>
        ) : (
          <ul>
            {members.data.members.map((name) => (
              <li key={name}>
                <Link to={`/zones/${encodeURIComponent(name)}`}>{name}</Link>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
