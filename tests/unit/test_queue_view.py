"""The lines a queued change shows (what an admin checks before Retry or Drop), for every
stored kind, from the stored JSON form of real change objects."""

from __future__ import annotations

from dnsmate.services.sync.queue_view import MAX_LINES, describe_change
from dnsmate.services.write.changes import (
    DeleteZone,
    PatchRRsets,
    add_record_change,
    delete_records_change,
    update_record_change,
)
from dnsmate.services.write.registry import change_to_json
from dnsmate.services.zonedata.bulk import BulkOp, BulkRecords

ZONE = "example.com"


def _lines(change: object) -> list[tuple[object, ...]]:
    described = describe_change(change_to_json(change))  # type: ignore[arg-type]
    return [(ln["operation"], ln["name"], ln["type"], ln["content"], ln["old_content"])
            for ln in described]  # fmt: skip


def test_record_changes_show_name_type_and_content() -> None:
    add = add_record_change(zone=ZONE, name="www", rtype="A", content="192.0.2.1", ttl=60)
    update = update_record_change(zone=ZONE, name="www", rtype="A", old_content="192.0.2.1",
                                  content="192.0.2.2", ttl=None)  # fmt: skip
    delete = delete_records_change(zone=ZONE, name="www", rtype="A", content=None)
    assert _lines(add) == [("add", "www.example.com", "A", "192.0.2.1", None)]
    assert _lines(update) == [("update", "www.example.com", "A", "192.0.2.2", "192.0.2.1")]
    assert _lines(delete) == [("delete", "www.example.com", "A", None, None)]


def test_rrset_and_zone_changes() -> None:
    patch = PatchRRsets(zone=f"{ZONE}.", rrsets=(
        {"name": f"mx.{ZONE}.", "type": "MX", "ttl": 60, "changetype": "REPLACE",
         "records": [{"content": "10 a.example.net."}, {"content": "20 b.example.net."}]},
        {"name": f"old.{ZONE}.", "type": "TXT", "changetype": "DELETE", "records": []},
    ))  # fmt: skip
    assert _lines(patch) == [
        ("replace", "mx.example.com", "MX", "10 a.example.net.\n20 b.example.net.", None),
        ("delete", "old.example.com", "TXT", None, None),
    ]
    assert _lines(DeleteZone(zone=f"{ZONE}.")) == [("delete zone", "example.com", None, None, None)]


def test_long_changes_are_cut_with_a_count() -> None:
    ops = tuple(BulkOp(row=i, op="add", name=f"h{i}.{ZONE}.", type="A", content=f"192.0.2.{i}")
                for i in range(1, 51))  # fmt: skip
    lines = _lines(BulkRecords(zone=f"{ZONE}.", operations=ops))
    assert len(lines) == MAX_LINES
    assert lines[0] == ("add", "h1.example.com", "A", "192.0.2.1", None)
    assert lines[-1] == ("…", None, None, f"{50 - MAX_LINES + 1} more", None)


def test_an_unknown_kind_still_shows_its_zone() -> None:
    assert describe_change({"kind": "FutureChange", "zone": "example.com."}) == [
        {"operation": "FutureChange", "name": "example.com", "type": None, "content": None,
         "old_content": None}
    ]  # fmt: skip
