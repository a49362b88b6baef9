"""Development and demonstration helpers, outside the runtime path of a DNSMate server.

``pdns_local`` runs local ``pdns_server`` processes (the test harness, the benchmarks and
the demo); ``demo`` sets up the demo those servers serve. A DNSMate server imports this
package only for ``dnsmate serve --demo`` / ``dnsmate demo``; it ships in the installed
package so that those commands work from an installation too.
"""
