"""The isolation walker's entries for the Support desk: channels, macros, contacts, tickets, reports.

The inbound endpoint and the CSAT page answer no bearer token by design (a
signature and a signed link are their credentials): they are in the walker's
``ANONYMOUS_ROUTES``, and tests/support/test_inbound_endpoint.py and
test_csat.py prove they keep tenants apart.
"""

from __future__ import annotations

from uuid import uuid4

from bo_saas.work.models import WorkState
from tests.desk import queued_item
from tests.factories import (
    AttachmentFactory,
    MacroFactory,
    MessageAttachmentFactory,
    SupportChannelFactory,
    SupportContactFactory,
    TicketFactory,
    TicketMessageFactory,
    save,
)
from tests.isolation.walker import Entry

CHANNELS = "/api/v1/support/channels"
CHANNEL = "/api/v1/support/channels/{channel_id:uuid}"
MACROS = "/api/v1/support/macros"
MACRO = "/api/v1/support/macros/{macro_id:uuid}"
TICKETS = "/api/v1/support/tickets"
TICKET = "/api/v1/support/tickets/{ticket_id:uuid}"
MESSAGES = "/api/v1/support/tickets/{ticket_id:uuid}/messages"


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _channel(t, w) -> str:
    return f"{CHANNELS}/{t.work['support_channel']}"


def _macro(t, w) -> str:
    return f"{MACROS}/{t.work['support_macro']}"


def _ticket(t, w) -> str:
    return f"{TICKETS}/{t.work['support_ticket']}"


def _admin(method: str, path: str, url, **fields) -> Entry:
    """A route for the tenant's client admins and the staff serving it; a member is refused."""
    return Entry(method, path, "client_admin", url, lower="client_member", **fields)


ROUTES = [
    _admin("GET", CHANNELS, lambda t, w: CHANNELS, cross_status=(200,)),
    _admin(
        "POST",
        CHANNELS,
        lambda t, w: CHANNELS,
        body=lambda t, w: {
            "name": f"Walk {uuid4().hex[:6]}",
            "address": f"walk-{uuid4().hex[:10]}@in.example.test",
            "from_name": "Walk",
            "from_address": "walk@example.test",
        },
        own_status=201,
        headers=_own,
        cross_status=(400,),
    ),
    _admin("GET", CHANNEL, _channel),
    _admin("PATCH", CHANNEL, _channel, body=lambda t, w: {"auto_ack": False}),
    _admin("DELETE", CHANNEL, lambda t, w: f"{CHANNELS}/{t.work['support_spare_channel']}", own_status=204),
    _admin("POST", CHANNEL + "/secret", lambda t, w: _channel(t, w) + "/secret", own_status=201),
    _admin("GET", MACROS, lambda t, w: MACROS, cross_status=(200,)),
    _admin(
        "POST",
        MACROS,
        lambda t, w: MACROS,
        body=lambda t, w: {"name": f"Walk {uuid4().hex[:6]}", "body": "Hello {customer_name}"},
        own_status=201,
        headers=_own,
        cross_status=(400,),
    ),
    _admin("GET", MACRO, _macro),
    _admin("PATCH", MACRO, _macro, body=lambda t, w: {"body": "Thanks, {customer_name}"}),
    _admin("DELETE", MACRO, _macro, own_status=204),
    _admin("GET", "/api/v1/support/contacts", lambda t, w: "/api/v1/support/contacts", cross_status=(200,)),
    _admin(
        "GET",
        "/api/v1/support/contacts/{contact_id:uuid}",
        lambda t, w: f"/api/v1/support/contacts/{t.work['support_contact']}",
    ),
    _admin("GET", TICKETS, lambda t, w: TICKETS, cross_status=(200,)),
    _admin("GET", TICKET, _ticket),
    _admin("PATCH", TICKET, _ticket, body=lambda t, w: {"tags": ["walked"], "priority": "high"}),
    _admin("GET", MESSAGES, lambda t, w: _ticket(t, w) + "/messages"),
    # Answering the customer is provider staff's work: the tenant's own admin is refused.
    Entry(
        "POST",
        MESSAGES,
        "agent",
        lambda t, w: _ticket(t, w) + "/messages",
        body=lambda t, w: {"body": "We are on it."},
        own_status=201,
        lower="client_admin",
    ),
    _admin(
        "GET",
        "/api/v1/support/reports",
        lambda t, w: "/api/v1/support/reports?month=2026-11",
        headers=_own,
        cross_status=(400,),
    ),
]


async def seed(session, t) -> None:
    """Per tenant: a channel with a ticket on a support item in progress (its mail brought a file), a spare
    channel, a macro."""
    tenant_id = t.tenant.id
    channel, spare = SupportChannelFactory(tenant_id=tenant_id), SupportChannelFactory(tenant_id=tenant_id)
    contact = SupportContactFactory(tenant_id=tenant_id)
    item = queued_item(t.tenant, skill="support", state=WorkState.IN_PROGRESS)
    macro = MacroFactory(tenant_id=tenant_id)
    await save(session, channel, spare, contact, item, macro)
    ticket = TicketFactory(tenant_id=tenant_id, work_item_id=item.id, channel_id=channel.id, contact_id=contact.id)
    await save(session, ticket)
    message = TicketMessageFactory(tenant_id=tenant_id, ticket_id=ticket.id, from_address=contact.email)
    file = AttachmentFactory(tenant_id=tenant_id, work_item_id=item.id, uploader_kind="customer")
    await save(session, message, file)
    await save(session, MessageAttachmentFactory(tenant_id=tenant_id, message_id=message.id, attachment_id=file.id))
    t.work.update(
        support_channel=channel.id,
        support_spare_channel=spare.id,
        support_contact=contact.id,
        support_item=item.id,
        support_ticket=ticket.id,
        support_macro=macro.id,
        support_message_file=file.id,
    )
