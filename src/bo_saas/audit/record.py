"""Writing audit events, in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.lib.caller import Caller


def _actor(request: Request | None) -> tuple[UUID | None, str]:
    caller = request.scope.get("user") if request is not None else None
    if isinstance(caller, Caller):
        return caller.actor_id, caller.actor_kind
    return None, "anonymous" if request is not None else "system"


def _request_facts(request: Request | None) -> dict[str, Any]:
    if request is None:
        return {"ip": None, "request_id": None}
    client = request.client.host if request.client else None
    return {"ip": client, "request_id": request.scope.get("request_id")}


def _event_fields(
    request: Request | None,
    actor: tuple[UUID | None, str] | None,
    action: str,
    subject_type: str | None,
    subject_id: str | None,
    changes: dict[str, Any] | None,
) -> dict[str, Any]:
    actor_id, actor_kind = actor or _actor(request)
    return {
        "actor_id": actor_id,
        "actor_kind": actor_kind,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "changes": changes or {},
        **_request_facts(request),
    }


def record_event(
    session: AsyncSession,
    request: Request | None,
    *,
    tenant_id: UUID,
    action: str,
    subject_type: str | None = None,
    subject_id: str | None = None,
    changes: dict[str, Any] | None = None,
    actor: tuple[UUID | None, str] | None = None,
) -> None:
    """A tenant's event; the session's scope must include ``tenant_id`` (RLS checks the insert)."""
    session.add(
        AuditEvent(tenant_id=tenant_id, **_event_fields(request, actor, action, subject_type, subject_id, changes))
    )


def record_provider_event(
    session: AsyncSession,
    request: Request | None,
    *,
    action: str,
    subject_type: str | None = None,
    subject_id: str | None = None,
    changes: dict[str, Any] | None = None,
    actor: tuple[UUID | None, str] | None = None,
) -> None:
    session.add(ProviderAuditEvent(**_event_fields(request, actor, action, subject_type, subject_id, changes)))
