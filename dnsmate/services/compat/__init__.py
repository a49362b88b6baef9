"""The PowerDNS-compatible API's decisions: PowerDNS 4.x request rules over several servers."""
