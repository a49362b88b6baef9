"""Write DNSMate's OpenAPI document as JSON, from the app factory, without serving anything.

    .venv/bin/python scripts/openapi.py [PATH]     (stdout without PATH)

``scripts/api-types.sh`` turns it into the frontend's ``src/api/schema.d.ts``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from dnsmate.config import Settings
from dnsmate.main import create_app


def openapi_json() -> str:
    """The document of an app built on a throwaway database (it is never opened)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=f"sqlite+aiosqlite:///{tmp}/unused.sqlite3",
            secret_key="openapi-document-only-" + "x" * 32,  # type: ignore[arg-type]
        )
        return json.dumps(create_app(settings).openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    text = openapi_json()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text)
    else:
        sys.stdout.write(text)
