"""Fleet operations: onboarding and retiring servers, reconciling every zone at once.

Each runs as a ``FleetJob`` (``jobs.py``): accepted by a request, run in that process,
its progress kept in the database so that any process can report it.
"""
