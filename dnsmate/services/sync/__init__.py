"""Multi-server consistency: health and circuit breakers, the partial-failure policy and
its retry queue, drift detection and reconcile, metrics.

Modules: ``runtime`` (what a running app holds), ``locks`` (per-server write locks across
processes), ``health`` (breakers), ``queue`` (the outbox and its replay), ``policy`` (the
stored retry / report / rollback setting; ``dnsmate.services.write.settle`` applies it),
``drift`` (diff, status, reconcile), ``metrics``, ``worker`` (the background task).
"""
