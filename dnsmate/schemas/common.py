"""Field types shared by the request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator

from dnsmate.db import as_utc

# A moment in UTC with its offset, whatever the database handed back (SQLite: naive).
UTCDateTime = Annotated[datetime, AfterValidator(as_utc)]
