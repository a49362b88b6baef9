import { writeTargets } from "../lib/targets";
import type { TargetInput } from "../lib/targets";

/** One sentence: where the next change will be written. */
export function WriteTargets({ servers }: { servers: TargetInput[] }) {
  const plan = writeTargets(servers);
  return (
    <p className={`targets targets-${plan.mode}`} data-testid="write-targets">
      {plan.mode === "multi" && (
        <>
          <span aria-hidden="true">🌐 </span>Changes are written to{" "}
          <strong>
            {plan.servers.length === 1 ? "1 server" : `${plan.servers.length} servers`}
          </strong>{" "}
          in multi-server mode: {plan.servers.join(", ")}.
        </>
      )}
      {plan.mode === "default" && (
        <>
          <span aria-hidden="true">📍 </span>Changes are written to the default server{" "}
          <strong>{plan.servers[0]}</strong> alone (no active server has multi-server mode on).
        </>
      )}
      {plan.mode === "none" && (
        <>
          <span aria-hidden="true">⚠ </span>No server can take changes: add a server, mark an active
          server as default, or turn on multi-server mode.
        </>
      )}
    </p>
  );
}
