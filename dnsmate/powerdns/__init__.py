"""The client for ONE PowerDNS Authoritative server."""
