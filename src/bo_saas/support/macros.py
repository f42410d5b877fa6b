"""Macros: a tenant's canned replies, with placeholders an agent's reply fills in.

A macro's body may name ``{customer_name}``, ``{ticket_reference}`` and
``{agent_name}``; any other ``{...}`` is refused when the macro is saved, so
rendering never fails in front of an agent (``{{`` and ``}}`` write braces).
"""

from __future__ import annotations

import string
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.repository import TenantRepository
from bo_saas.support.errors import InvalidSupportRequest, MacroNotFound, SupportConflict
from bo_saas.support.models import Macro

PLACEHOLDERS = ("customer_name", "ticket_reference", "agent_name")


class Macros(TenantRepository[Macro]):
    model = Macro
    not_found = MacroNotFound
    not_found_message = "No such macro"


def placeholder_problem(body: str) -> str | None:
    """Why ``body`` cannot be a macro (an unknown or broken placeholder), or None."""
    try:
        names = [name for _, name, spec, conversion in string.Formatter().parse(body) if name is not None]
    except ValueError as exc:
        return f"the body's braces do not pair up ({exc}); write {{{{ and }}}} for a literal brace"
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        return f"unknown placeholder(s) {', '.join('{' + name + '}' for name in unknown)}; use {known}"
    return None


def check_body(body: str) -> str:
    problem = placeholder_problem(body)
    if problem:
        raise InvalidSupportRequest(f"body: {problem}", extra={"field": "body"})
    return body


def render(body: str, *, customer_name: str, ticket_reference: str, agent_name: str) -> str:
    return body.format(customer_name=customer_name, ticket_reference=ticket_reference, agent_name=agent_name)


async def _require_name_free(session: AsyncSession, tenant_id: UUID, name: str, macro_id: UUID | None) -> None:
    taken = await session.scalar(select(Macro.id).where(Macro.tenant_id == tenant_id, Macro.name == name))
    if taken is not None and taken != macro_id:
        raise SupportConflict(f"A macro named {name!r} exists already", extra={"field": "name"})


async def create_macro(session: AsyncSession, tenant_id: UUID, *, name: str, body: str) -> Macro:
    name = name.strip()
    await _require_name_free(session, tenant_id, name, None)
    macro = Macro(id=uuid4(), tenant_id=tenant_id, name=name, body=check_body(body))
    session.add(macro)
    await session.flush()
    return macro


async def update_macro(session: AsyncSession, macro: Macro, *, name: str | None, body: str | None) -> dict[str, dict]:
    made = {}
    if name is not None and name.strip() != macro.name:
        await _require_name_free(session, macro.tenant_id, name.strip(), macro.id)
        made["name"] = {"old": macro.name, "new": name.strip()}
        macro.name = name.strip()
    if body is not None and body != macro.body:
        made["body"] = {"old": macro.body, "new": check_body(body)}
        macro.body = body
    if made:
        macro.updated_at = utc_now()
        await session.flush()
    return made
