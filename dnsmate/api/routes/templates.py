"""Zone templates: anyone logged in reads them; admins and editors manage them."""

from __future__ import annotations

from fastapi import APIRouter, status

from dnsmate.api.deps import (
    AuditDep,
    CurrentUser,
    MultiPowerDNSDep,
    SessionDep,
    ZoneCreator,
    ZoneReader,
)
from dnsmate.schemas.common import RowId
from dnsmate.schemas.templates import (
    TemplateCreate,
    TemplateFromZone,
    TemplatePublic,
    TemplatesPublic,
    TemplateUpdate,
)
from dnsmate.services.zonedata import templates

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("", response_model=TemplatesPublic)
async def read_templates(session: SessionDep, _user: CurrentUser) -> TemplatesPublic:
    """Every zone template, by name."""
    rows = await templates.list_templates(session=session)
    return TemplatesPublic(items=[TemplatePublic.model_validate(r) for r in rows], total=len(rows))


@router.post("", response_model=TemplatePublic, status_code=status.HTTP_201_CREATED)
async def create_template(
    body: TemplateCreate, session: SessionDep, audit: AuditDep, _user: ZoneCreator
) -> TemplatePublic:
    """Add a template; its records are validated now (names ``@`` or relative)."""
    row = await templates.create_template(session=session, data=body)
    public = TemplatePublic.model_validate(row)
    await audit.record("template.create", target=public.name, after=public.model_dump(mode="json"))
    return public


@router.post(
    "/from-zone/{zone}", response_model=TemplatePublic, status_code=status.HTTP_201_CREATED
)
async def create_template_from_zone(
    zone: str,
    body: TemplateFromZone,
    session: SessionDep,
    multi: MultiPowerDNSDep,
    audit: AuditDep,
    _user: ZoneCreator,
    _reader: ZoneReader,
) -> TemplatePublic:
    """Save this zone as a template: its records with names made relative, its NS and TTL."""
    row = await templates.template_from_zone(
        session=session, multi=multi, zone=zone, name=body.name, description=body.description
    )
    public = TemplatePublic.model_validate(row)
    await audit.record(
        "template.create", target=public.name, zone=zone, after=public.model_dump(mode="json")
    )
    return public


@router.get("/{template_id}", response_model=TemplatePublic)
async def read_template(
    template_id: RowId, session: SessionDep, _user: CurrentUser
) -> TemplatePublic:
    """One template."""
    row = await templates.get_template(session=session, template_id=template_id)
    return TemplatePublic.model_validate(row)


@router.put("/{template_id}", response_model=TemplatePublic)
async def update_template(
    template_id: RowId,
    body: TemplateUpdate,
    session: SessionDep,
    audit: AuditDep,
    _user: ZoneCreator,
) -> TemplatePublic:
    """Change a template; omitted fields stay, ``records`` replaces the whole list."""
    old = TemplatePublic.model_validate(
        await templates.get_template(session=session, template_id=template_id)
    ).model_dump(mode="json")
    row = await templates.update_template(session=session, template_id=template_id, data=body)
    public = TemplatePublic.model_validate(row)
    await audit.record(
        "template.update", target=public.name, before=old, after=public.model_dump(mode="json")
    )
    return public


@router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(
    template_id: RowId, session: SessionDep, audit: AuditDep, _user: ZoneCreator
) -> None:
    """Delete a template (zones created from it keep their records)."""
    old = TemplatePublic.model_validate(
        await templates.get_template(session=session, template_id=template_id)
    )
    await templates.delete_template(session=session, template_id=template_id)
    await audit.record("template.delete", target=old.name, before=old.model_dump(mode="json"))
