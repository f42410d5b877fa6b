"""The Support desk: a tenant's customers answered by email under its brand, with threading, macros, CSAT, reports."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.domain import Domain, Meter, NavLink
from bo_saas.support.channels_controller import ChannelController
from bo_saas.support.contacts_controller import ContactController
from bo_saas.support.csat import ask_for_rating
from bo_saas.support.csat_page import CsatPageController
from bo_saas.support.inbound_controller import InboundController
from bo_saas.support.macros_controller import MacroController
from bo_saas.support.manifest import SUPPORT_SECTION
from bo_saas.support.models import MessageKind, Ticket, TicketMessage
from bo_saas.support.reports_controller import SupportReportController
from bo_saas.support.tickets_controller import TicketController
from bo_saas.work.desks import Desk
from bo_saas.work.models import WorkItem

SERVICE_TYPE = "support"  # the catalog's code (migration 0001/0003)
METER = "support.tickets"


async def tickets_done(session: AsyncSession, item: WorkItem) -> int:
    """One unit per ticket done; a support item asked for through the portal form (no ticket) earns nothing."""
    has_ticket = await session.scalar(
        select(exists().where(Ticket.tenant_id == item.tenant_id, Ticket.work_item_id == item.id))
    )
    return 1 if has_ticket else 0


async def reply_remaining(session: AsyncSession, item: WorkItem) -> str | None:
    """Complete once an agent has answered the customer (an acknowledgement is not an answer)."""
    ticket_id = await session.scalar(
        select(Ticket.id).where(Ticket.tenant_id == item.tenant_id, Ticket.work_item_id == item.id)
    )
    if ticket_id is None:
        return None  # no customer behind it: the item is worked as any other
    answered = await session.scalar(
        select(
            exists().where(
                TicketMessage.tenant_id == item.tenant_id,
                TicketMessage.ticket_id == ticket_id,
                TicketMessage.kind == MessageKind.REPLY,
            )
        )
    )
    return None if answered else "no reply sent to the customer yet"


DOMAIN = Domain(
    name="support",
    route_handlers=[
        ChannelController,
        MacroController,
        ContactController,
        TicketController,
        SupportReportController,
        InboundController,
        CsatPageController,
    ],
    models="bo_saas.support.models",
    task_modules=["bo_saas.support.tasks"],
    manifest_sections=[SUPPORT_SECTION],
    desks=[
        Desk(
            service_type=SERVICE_TYPE,
            meter=METER,
            quantity=tickets_done,
            remaining=reply_remaining,
            workspace="/console/support/tickets/{item_id}",
            on_done=ask_for_rating,
        )
    ],
    meters=[Meter(METER, "ticket", "sum", "Support tickets done")],
    # One entry per surface: the desk's screens are tabs behind it (tickets, channels, macros, report).
    navigation=[
        NavLink(
            "support", "Support desk", "/portal/support", "portal", ("client_admin",), order=45, service=SERVICE_TYPE
        ),
        NavLink(
            "supportTickets",
            "Support tickets",
            "/console/support",
            "console",
            ("provider_admin", "provider_agent"),
            order=25,
            service=SERVICE_TYPE,
        ),
    ],
)
