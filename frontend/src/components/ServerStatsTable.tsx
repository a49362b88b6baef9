import type { ServerStats } from "../api/types";
import { formatLatency, formatRate, rateClass } from "../lib/stats";

function Window({ stats }: { stats: ServerStats | undefined }) {
  if (!stats || stats.operations === 0) {
    return (
      <>
        <td>–</td>
        <td>–</td>
        <td className="muted">none</td>
      </>
    );
  }
  return (
    <>
      <td>
        <span className={`badge ${rateClass(stats.success_rate)}`}>
          {formatRate(stats.success_rate)}
        </span>
      </td>
      <td>{formatLatency(stats.p95_ms)}</td>
      <td>
        {stats.operations.toLocaleString("en")}
        {stats.failed > 0 && (
          <span className="muted"> ({stats.failed.toLocaleString("en")} failed)</span>
        )}
      </td>
    </>
  );
}

interface Row {
  id: number;
  name: string;
  hour?: ServerStats;
  day?: ServerStats;
}

/** Success rate, p95 latency and operations per server over the last hour and 24 hours. */
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
            <th scope="col" rowSpan={2}>
              Server
            </th>
            <th scope="colgroup" colSpan={3}>
              Last hour
            </th>
            <th scope="colgroup" colSpan={3}>
              Last 24 hours
            </th>
          </tr>
          <tr>
            <th scope="col">Success</th>
            <th scope="col">p95</th>
            <th scope="col">Operations</th>
            <th scope="col">Success</th>
            <th scope="col">p95</th>
            <th scope="col">Operations</th>
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
