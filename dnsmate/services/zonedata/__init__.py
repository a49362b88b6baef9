"""Zones, records and RRsets: the data DNSMate keeps equal on every server."""
