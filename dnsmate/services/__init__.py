"""The domain, grouped by concept (routes call these; none of them speaks HTTP status codes).

``zonedata``  zones, records and RRsets: the RRset value type and its one equality rule, the
              one Plan, validation, SOA, zone settings, templates, clone, zone files, import,
              bulk, automatic PTRs, search, DNSSEC, TSIG keys and catalog zones.
``write``     the write path: change types, targets, the concurrent fan-out, the
              partial-failure decision, rollback and recording (see its docstring).
``sync``      what keeps servers equal afterwards: retry queue, drift, reconcile, health
              monitor, breakers, metrics and the background loops.
``fleet``     the servers themselves: settings and clients, their state as a write sees
              it, health, read routing, statistics, onboarding and retiring.
``access``    who may do what: users, roles and grants, teams, tokens, passkeys, two-factor,
              record limits, login throttling, the cached caller.
``identity``  where people sign in from: local passwords, LDAP, OpenID Connect.
``history``   what happened: zone versions and their retention, the audit log, the change
              log line, and backups of DNSMate's own database.
``compat``    the PowerDNS-compatible API's decisions over several servers.
``dnsupdate``, ``dyndns``, ``webhooks``  the protocols: RFC 2136, DynDNS2, signed webhooks.

Top level: ``errors`` (the domain's exceptions), ``invalidation`` (how in-memory caches
learn of changes in every process), ``readiness``.
"""
