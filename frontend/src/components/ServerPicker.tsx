import type { PowerDNSServer } from "../api/types";
import { writeTargets } from "../lib/targets";
import { Field } from "./Field";

interface Props {
  servers: PowerDNSServer[];
  /** The browsed server's id, or null for the write targets. */
  value: number | null;
  onChange: (server: number | null) => void;
}

/** Which server to read from: the write targets (default) or any configured server. */
export function ServerPicker({ servers, value, onChange }: Props) {
  const targets = writeTargets(servers).servers as string[];
  return (
    <Field label="Server">
      <select
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">Write targets</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
            {targets.includes(s.name) ? "" : " (read-only)"}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The browsed server, and whether it is read-only (not a write target). */
export function browsed(servers: PowerDNSServer[] | undefined, id: number | null) {
  const server = id === null ? undefined : servers?.find((s) => s.id === id);
  const targets = writeTargets(servers ?? []).servers as string[];
  return { server, readOnly: server !== undefined && !targets.includes(server.name) };
}

/** The server a source or reference picker starts on: the default one, else the first. */
export function defaultServer(servers: PowerDNSServer[]): PowerDNSServer | undefined {
  return servers.find((s) => s.is_default) ?? servers[0];
}

/** One <option> per server, by id, the default one marked. */
export function ServerOptions({ servers }: { servers: PowerDNSServer[] }) {
  return servers.map((s) => (
    <option key={s.id} value={s.id}>
      {s.name}
      {s.is_default ? " (default)" : ""}
    </option>
  ));
}
