/** A server timestamp in the reader's locale; timestamps without a zone are UTC. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "—";
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/** A duration in seconds as people say it: "40 s", "5 min", "3 h", "2 d". */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}
