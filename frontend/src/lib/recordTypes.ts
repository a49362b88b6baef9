// The record types DNSMate accepts (services/zonedata/validation.py SUPPORTED_TYPES), with hints.

export const RECORD_TYPES: Record<string, { hint: string; example: string }> = {
  A: { hint: "An IPv4 address.", example: "192.0.2.10" },
  AAAA: { hint: "An IPv6 address.", example: "2001:db8::10" },
  CNAME: {
    hint: "The canonical host name. A CNAME cannot share its name with any other record.",
    example: "www.example.com.",
  },
  MX: { hint: "Preference, then the mail server's host name.", example: "10 mail.example.com." },
  TXT: {
    hint: "Free text. Quotes are added for you; long text is split into 255-byte strings.",
    example: "v=spf1 mx -all",
  },
  NS: { hint: "The host name of a name server for this name.", example: "ns1.example.com." },
  SRV: {
    hint: "Priority, weight, port and target host. The name is usually _service._proto.",
    example: "10 5 5060 sip.example.com.",
  },
  CAA: {
    hint: "Flags, tag (issue, issuewild, iodef) and value.",
    example: '0 issue "letsencrypt.org"',
  },
  PTR: { hint: "The host name this address points to.", example: "host.example.com." },
  SOA: {
    hint: "Primary NS, contact mailbox, serial, refresh, retry, expire, minimum TTL.",
    example: "ns1.example.com. hostmaster.example.com. 1 10800 3600 604800 3600",
  },
  SPF: { hint: "An SPF policy (prefer TXT for new records).", example: "v=spf1 mx -all" },
  DS: { hint: "Key tag, algorithm, digest type and digest.", example: "12345 13 2 ABCDEF…" },
  SSHFP: {
    hint: "Algorithm, fingerprint type and fingerprint (hex).",
    example: "4 2 123456789abcdef…",
  },
  TLSA: {
    hint: "Usage, selector, matching type and data (hex).",
    example: "3 1 1 0123456789abcdef…",
  },
  NAPTR: {
    hint: "Order, preference, flags, service, regexp and replacement.",
    example: '100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .',
  },
  HINFO: { hint: "CPU and OS, each quoted.", example: '"amd64" "Linux"' },
  LOC: {
    hint: "Latitude, longitude, altitude and sizes.",
    example: "52 22 23.000 N 4 53 32.000 E -2.00m",
  },
  HTTPS: { hint: "Priority, target and service parameters.", example: '1 . alpn="h2,h3"' },
  SVCB: {
    hint: "Priority, target and service parameters.",
    example: "1 svc.example.com. port=8443",
  },
  DNAME: { hint: "The target domain for the whole subtree.", example: "example.net." },
  DHCID: {
    hint: "A DHCP client's identity (base64), written by DHCP servers with dynamic updates.",
    example: "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
  },
};

export const TYPE_NAMES = Object.keys(RECORD_TYPES);

export function typeHint(type: string): string {
  const entry = RECORD_TYPES[type];
  return entry ? `${entry.hint} Example: ${entry.example}` : "";
}
