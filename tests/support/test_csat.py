"""CSAT: a signed link, a page without sign-in in English or Arabic, one rating per ticket, shown on the ticket."""

from __future__ import annotations

from uuid import uuid4

from bo_saas.support.csat import csat_token
from bo_saas.support.models import CsatRating
from tests.factories import TenantFactory, save
from tests.support.helpers import a_channel, count, mail, post_mail


async def _ticket(client, admin_session, tenant) -> str:
    channel = await a_channel(admin_session, tenant)
    answer = await post_mail(client, channel.id, mail(to=channel.address, subject="Broken <b>lamp</b>"))
    return answer.json()["ticket_id"]


async def test_the_customer_rates_once_and_the_rating_shows_on_the_ticket(client, admin_session, desk, settings):
    ticket_id = await _ticket(client, admin_session, desk.tenant)
    token = csat_token(settings, desk.tenant.id, uuid_of(ticket_id))

    page = await client.get(f"/csat/{token}")
    rated = await client.post(f"/csat/{token}", data={"rating": "4", "comment": "Quick, thanks"})
    again = await client.post(f"/csat/{token}", data={"rating": "1", "comment": "changed my mind"})
    shown = (await client.get(f"/api/v1/support/tickets/{ticket_id}", headers=desk.as_("agent"))).json()

    assert page.status_code == 200 and 'name="rating"' in page.text and "T-000001" in page.text
    assert "Broken &lt;b&gt;lamp&lt;/b&gt;" in page.text  # the subject is the customer's text: escaped
    assert rated.status_code == 201 and "Thank you" in rated.text
    assert again.status_code == 409 and "rated already" in again.text
    assert shown["csat"]["rating"] == 4 and shown["csat"]["comment"] == "Quick, thanks"
    assert (await client.get(f"/csat/{token}")).text.count('name="rating"') == 0


async def test_the_page_speaks_arabic_right_to_left_when_asked(client, admin_session, desk, settings):
    ticket_id = await _ticket(client, admin_session, desk.tenant)
    token = csat_token(settings, desk.tenant.id, uuid_of(ticket_id))

    by_header = await client.get(f"/csat/{token}", headers={"Accept-Language": "ar-SA,ar;q=0.9"})
    by_query = await client.get(f"/csat/{token}?lang=ar")
    english = await client.get(f"/csat/{token}")

    assert 'dir="rtl"' in by_header.text and 'lang="ar"' in by_query.text and "كيف كانت خدمتنا" in by_query.text
    assert 'dir="ltr"' in english.text


async def test_a_forged_or_altered_token_is_not_found_and_rates_nothing(client, admin_session, desk, settings):
    ticket_id = await _ticket(client, admin_session, desk.tenant)
    token = csat_token(settings, desk.tenant.id, uuid_of(ticket_id))
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for bad in (altered, "not-a-token", csat_token(settings, desk.tenant.id, uuid4())):
        assert (await client.get(f"/csat/{bad}")).status_code == 404
        assert (await client.post(f"/csat/{bad}", data={"rating": "5"})).status_code == 404
    assert await count(admin_session, CsatRating) == 0


async def test_a_token_naming_another_tenant_never_reaches_this_tenants_ticket(client, admin_session, desk, settings):
    other = TenantFactory(services=["support"])
    await save(admin_session, other)
    ticket_id = await _ticket(client, admin_session, desk.tenant)

    # A validly signed token that pairs our ticket with another tenant: its scope cannot see the ticket.
    crossed = csat_token(settings, other.id, uuid_of(ticket_id))

    assert (await client.post(f"/csat/{crossed}", data={"rating": "1"})).status_code == 404
    assert await count(admin_session, CsatRating) == 0


async def test_a_rating_outside_one_to_five_is_refused(client, admin_session, desk, settings):
    ticket_id = await _ticket(client, admin_session, desk.tenant)
    token = csat_token(settings, desk.tenant.id, uuid_of(ticket_id))

    answer = await client.post(f"/csat/{token}", data={"rating": "6"})

    assert answer.status_code == 400
    assert await count(admin_session, CsatRating) == 0


def uuid_of(value: str):
    from uuid import UUID

    return UUID(value)
