"""The signature of a delivery: HMAC-SHA256 over ``"<timestamp>.<body>"`` with the
endpoint's secret, sent as ``X-DNSMate-Signature: sha256=<hex>`` beside
``X-DNSMate-Timestamp: <unix seconds>``. A receiver recomputes it and refuses a timestamp
too far from its clock (replays); see the README for a verification example."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-DNSMate-Signature"
TIMESTAMP_HEADER = "X-DNSMate-Timestamp"
EVENT_HEADER = "X-DNSMate-Event"
DELIVERY_HEADER = "X-DNSMate-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of ``"<timestamp>.<body>"`` keyed with ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    *, secret: str, timestamp: int, body: bytes, event: str, delivery: int
) -> dict[str, str]:
    """Every header of one delivery."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "DNSMate-Webhooks",
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
