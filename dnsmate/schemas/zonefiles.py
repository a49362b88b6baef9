"""Zone import requests."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class AxfrImport(BaseModel):
    primary: str = Field(description="IP address of the name server to transfer from",
                         examples=["127.0.0.1"])  # fmt: skip
    port: int = Field(default=53, ge=1, le=65535)
    mode: Literal["merge", "replace"] = "merge"
    dry_run: bool = True
    expect_serial: int | None = None
