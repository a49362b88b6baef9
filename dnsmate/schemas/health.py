"""Liveness and readiness answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ReadinessPublic(BaseModel):
    """``GET /api/ready``: 200 when ready, 503 with ``errors`` otherwise."""

    version: str
    status: Literal["ready", "not ready"]
    database: str
    migration: str | None
    migration_head: str
    errors: list[str]
