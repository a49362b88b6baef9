import type { ServerStats } from "../api/types";
import { formatLatency, formatRate, rateClass } from "../lib/stats";

function Window({ stats }: { stats: ServerStats | undefined }) {
  if (!stats || stats.operations === 0) {
    return <td className="muted">No operations</td>;
  }
  const failed = stats.failed > 0 ? `, ${stats.failed.toLocaleString("en")} failed` : "";
  return (
    <td>
      <span className={`badge ${rateClass(stats.success_rate)}`}>
        {formatRate(stats.success_rate)}
      </span>
      <div>p95 {formatLatency(stats.p95_ms)}</div>
      <div className="muted">
        {stats.operations.toLocaleString("en")} operations{failed}
      </div>
    </td>
  );
}

interface Row {
  id: number;
  name: string;
  hour?: ServerStats;
  day?: ServerStats;
}

/** Success rate, p95 latency and operations per server over the last hour and 24 hours
 * (one cell per window, so the table fits a 390 px screen). */
export function ServerStatsTable({ hour, day }: { hour: ServerStats[]; day: ServerStats[] }) {
  const rows: Row[] = [];
  for (const [key, list] of [
    ["hour", hour],
    ["day", day],
  ] as const) {
    for (const stats of list) {
      let row = rows.find((r) => r.id === stats.server_id);
      if (!row) {
        row = { id: stats.server_id, name: stats.name };
        rows.push(row);
      }
      row[key] = stats;
    }
  }
  if (rows.every((r) => (r.day?.operations ?? 0) === 0 && (r.hour?.operations ?? 0) === 0)) {
    return (
      <p className="muted" role="status">
        No operations recorded in the last 24 hours.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table stats-table">
        <caption className="sr-only">Operations per PowerDNS server</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            <th scope="col">Last hour</th>
            <th scope="col">Last 24 hours</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row" className="cell-name">
                {row.name}
              </th>
              <Window stats={row.hour} />
              <Window stats={row.day} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
