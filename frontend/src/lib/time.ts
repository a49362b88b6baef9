/** A server timestamp in the reader's locale; timestamps without a zone are UTC. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "—";
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
