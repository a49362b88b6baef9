"""The JSON log format: one object per line with the record's extra fields."""

from __future__ import annotations

import json
import logging
import sys

from dnsmate.logs import JsonFormatter


def test_json_lines_carry_level_logger_message_fields_and_the_traceback() -> None:
    record = logging.makeLogRecord(
        {"name": "dnsmate.access", "levelno": logging.INFO, "levelname": "INFO",
         "msg": "%s %s", "args": ("GET", "/api/zones"), "status": 200, "user": "a@example.org"}
    )  # fmt: skip
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "INFO" and entry["logger"] == "dnsmate.access"
    assert entry["message"] == "GET /api/zones"
    assert entry["status"] == 200 and entry["user"] == "a@example.org"
    assert entry["time"].endswith("+00:00")
    try:
        raise ValueError("broken")
    except ValueError:
        failed = logging.makeLogRecord({"msg": "round failed", "exc_info": sys.exc_info()})
    line = JsonFormatter().format(failed)
    assert "\n" not in line
    assert "ValueError: broken" in json.loads(line)["exception"]
