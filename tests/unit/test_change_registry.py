"""Every change type is listed in the registry, and stored changes decode in a bare process."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
import subprocess
import sys

import dnsmate.services
from dnsmate.services.compat.pdns_compat import UpdateZone
from dnsmate.services.write.registry import CHANGE_TYPES, change_from_json, change_to_json
from dnsmate.services.zonedata.bulk import BulkOp, BulkRecords


def test_every_change_class_in_the_package_is_in_the_registry() -> None:
    found = set()
    for module in pkgutil.walk_packages(dnsmate.services.__path__, "dnsmate.services."):
        for value in vars(importlib.import_module(module.name)).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and callable(getattr(value, "apply", None))
                and isinstance(getattr(value, "action", None), str)
            ):
                found.add(value)
    assert found == set(CHANGE_TYPES.values())


def test_a_process_that_imports_only_the_queue_decodes_every_kind() -> None:
    stored = [
        change_to_json(
            BulkRecords(
                zone="example.com.", operations=(BulkOp(1, "delete", "a.example.com.", "A"),)
            )
        ),
        change_to_json(UpdateZone(zone="example.com.", payload={"kind": "Master"})),
        {"kind": "UnsignZone", "zone": "example.com."},
    ]
    script = (
        "import json, sys\n"
        "from dnsmate.services.sync.queue import _decode\n"
        "print(json.dumps([type(_decode(d)).__name__ for d in json.load(sys.stdin)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(stored),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == ["BulkRecords", "UpdateZone", "UnsignZone"]


def test_a_bulk_change_is_stored_with_each_operation_as_a_dict_of_its_fields() -> None:
    # The stored form queue entries written earlier have (when BulkOp was a dataclass).
    change = BulkRecords(zone="example.com.", operations=(
        BulkOp(1, "add", "a.example.com.", "A", "192.0.2.1", None, 300),
        BulkOp(2, "delete", "b.example.com.", "TXT"),
    ))  # fmt: skip
    stored = json.loads(json.dumps(change_to_json(change)))
    assert stored == {"kind": "BulkRecords", "zone": "example.com.", "operations": [
        {"row": 1, "op": "add", "name": "a.example.com.", "type": "A", "content": "192.0.2.1",
         "old_content": None, "ttl": 300},
        {"row": 2, "op": "delete", "name": "b.example.com.", "type": "TXT", "content": None,
         "old_content": None, "ttl": None},
    ]}  # fmt: skip
    assert change_from_json(stored) == change
