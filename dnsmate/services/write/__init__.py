"""The write path: every DNS change DNSMate makes, read top to bottom.

    validate -> choose targets -> fan out -> settle -> (roll back) -> record -> log -> answer

(``log``: one line per write with every server's outcome, ``dnsmate.services.history.change_log``.)

Modules (import from them directly; this package module re-exports nothing):

``changes``   the change classes (``AddRecord``, ``UpdateRecord``, ``DeleteRecords``,
              ``PatchRRsets``, ``CreateZone``, ``DeleteZone``), each with ``apply(client)
              -> ServerChange`` and ``undo(done) -> Change | None``; the ``Change``
              protocol; ``add_record_change`` & co. (validation into a change).
``registry``  ``CHANGE_TYPES``: every change class, listed explicitly (also ``BulkRecords``,
              ``UpdateZone`` and the DNSSEC ones); ``change_to_json``/``change_from_json``.
``settle``    ``settle(results, policy) -> Decision``: the pure partial-failure decision.
              ``Decision(verdict, status, policy, queue, park, roll_back)``: ``verdict`` is
              applied | partial | accepted | rolled_back | failed, ``status`` the HTTP
              status (200 for applied: a creation route answers 201), ``queue``/``park``/
              ``roll_back`` server ids in target order; ``durable`` says the change stands.
``rollback``  ``roll_back(...) -> RollbackReport(restored, errors, owed)``, run only when
              the decision names servers to restore.
``record``    ``WriteRecorder``: breakers, retry queue, version, grants, audit in ONE
              transaction (one commit) shared by the writes of a zone waiting at that
              moment (group commit), on the record step's own engine, never the request
              pool; failures become warnings.
``outcome``   ``WriteOutcome(change, result, decision, rollback, warnings)``: what
              ``dnsmate.api.results.multi_response`` renders; name lists
              (``queued_servers``, ``rolled_back_servers``, ...) for answers.
``pipeline``  ``WritePipeline`` (one per app, built by ``create_app``) and ``WriteScope``
              (one per request: session, ``audit.Actor``, targets)::

                  targets = await pipeline.targets(session)          # choose targets
                  outcome = await pipeline.run(change, scope=scope, policy=None)

              ``scope.narrowed(server_ids)`` restricts a write to some targets. Routes get
              both from ``api.deps``: ``PipelineDep`` and ``WriteScopeDep``.

Servers are known by DNSMate's id end to end (``PowerDNSClient.settings_id``,
``ServerResult.server_id``, ``Decision`` ids); names are for people.
"""
