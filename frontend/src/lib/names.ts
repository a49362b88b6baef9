// Display helpers for DNS names (the API answers with names without the trailing dot).

/** Shows ``www`` for ``www.example.com`` in ``example.com`` and ``@`` for the apex. */
export function relativeName(name: string, zone: string): string {
  const bare = zone.replace(/\.$/, "").toLowerCase();
  const n = name.replace(/\.$/, "");
  if (n.toLowerCase() === bare) return "@";
  if (n.toLowerCase().endsWith(`.${bare}`)) return n.slice(0, n.length - bare.length - 1);
  return n;
}
