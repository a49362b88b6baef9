"""Field types shared by the request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import Interval
from pydantic import AfterValidator, ConfigDict

from dnsmate.db import as_utc

# A moment in UTC with its offset, whatever the database handed back (SQLite: naive).
UTCDateTime = Annotated[datetime, AfterValidator(as_utc)]

INT64_MAX = 2**63 - 1
# A database id in a path or query: beyond a 64-bit integer the database itself fails, so
# such a value is a 422 here, never a 500.
RowId = Annotated[int, Interval(ge=1, le=INT64_MAX)]
# A page number: page * per_page must stay a valid SQL offset.
MAX_PAGE = 1_000_000_000
Page = Annotated[int, Interval(ge=1, le=MAX_PAGE)]

# A response model's fields with defaults are still in every answer: the OpenAPI document
# (and the frontend types generated from it) should call them required, not optional.
PUBLIC = ConfigDict(json_schema_serialization_defaults_required=True)
