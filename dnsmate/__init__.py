"""DNSMate: manage zones and records on one or many PowerDNS Authoritative servers."""

__version__ = "0.1.0"
