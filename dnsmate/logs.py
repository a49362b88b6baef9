"""One log format for every DNSMate process: plain for a terminal, JSON for a collector.

``configure_logging`` replaces whatever handlers exist with one on stderr (journald adds
the time and unit there). uvicorn's own loggers propagate to it (uvicorn is started with
``log_config=None``); its access log is replaced by DNSMate's (``api/access_log.py``), which
knows the user. PowerDNS calls, which httpx logs at INFO for every request (three health
probes every 10 s), are shown only at ``DNSMATE_LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["plain", "json"]
PLAIN = "%(levelname)s %(name)s: %(message)s"
# Libraries whose INFO lines are per-request chatter about PowerDNS calls.
CHATTY = ("httpx", "httpcore")
# Attributes every LogRecord has; anything else was passed with ``extra=`` and is data.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(*, fmt: LogFormat = "plain", level: str = "INFO") -> None:
    """Install the one handler; ``level`` as a name (DEBUG, INFO, WARNING, ...)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(PLAIN))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    debug = root.getEffectiveLevel() <= logging.DEBUG
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
