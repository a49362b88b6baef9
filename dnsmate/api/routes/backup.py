"""Backups: every zone in one archive with a manifest."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from dnsmate.api.deps import AdminUser, MultiPowerDNSDep
from dnsmate.services.zonedata import backup

router = APIRouter(prefix="/backup", tags=["import and export"])


_ARCHIVE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "",
    response_class=Response,
    responses={
        200: {
            "content": {"application/gzip": _ARCHIVE, "application/zip": _ARCHIVE},
            "description": "The archive (tar.gz or zip), with manifest.json",
        }
    },
)
async def read_backup(
    multi: MultiPowerDNSDep,
    _user: AdminUser,
    format: Literal["tar.gz", "zip"] = Query("tar.gz"),
) -> Response:
    """Every zone of the reference server as zone files, plus ``manifest.json`` (admins)."""
    archive = await backup.build_backup(multi=multi, fmt=format)
    return Response(
        archive.content,
        media_type=archive.media_type,
        headers={"Content-Disposition": f'attachment; filename="{archive.filename}"'},
    )
