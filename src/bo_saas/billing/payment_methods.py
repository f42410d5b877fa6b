"""A tenant's card on file: its Stripe customer (made once), card setups, and our own record of the saved card.

The portal saves a card with a SetupIntent: we make the customer (once per
tenant, with an idempotency key from the tenant's id) and the SetupIntent, and
hand its client secret to the browser, which confirms it with Stripe.js. The
card then becomes ours to show and to charge when either the
``setup_intent.succeeded`` event arrives or the portal confirms with the
SetupIntent's id, whichever is first; both go through ``save_card``, which
keeps the newest setup's card whatever order they come in.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.models import BillingProfile, StripeCustomer
from bo_saas.billing.stripe_gateway import ConfirmedSetup, SetupStarted, StripeGateway
from bo_saas.lib.errors import ConflictError, NotFoundError
from bo_saas.tenancy.models import Tenant


class SetupNotFound(NotFoundError):
    """404: no such card setup for this tenant (another tenant's SetupIntent answers the same)."""


class SetupNotSucceeded(ConflictError):
    """409: the card setup has not succeeded (yet), so there is no card to save."""


async def stripe_customer(session: AsyncSession, tenant: Tenant, *, for_update: bool = False) -> StripeCustomer | None:
    statement = select(StripeCustomer).where(StripeCustomer.tenant_id == tenant.id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement.execution_options(populate_existing=True))


async def start_card_setup(session: AsyncSession, gateway: StripeGateway, tenant: Tenant) -> SetupStarted:
    """A SetupIntent on the tenant's Stripe customer, made first if the tenant has none."""
    customer = await stripe_customer(session, tenant)
    if customer is None:
        profile = await session.get(BillingProfile, tenant.id)
        customer_id = await gateway.create_customer(
            str(tenant.id), profile.legal_name if profile else tenant.name, profile.billing_email if profile else None
        )
        # Two setups at once make one customer at Stripe (same idempotency key) and one row here.
        await session.execute(
            insert(StripeCustomer)
            .values(tenant_id=tenant.id, stripe_customer_id=customer_id)
            .on_conflict_do_nothing(index_elements=["tenant_id"])
        )
        customer = await stripe_customer(session, tenant)
        assert customer is not None
    return await gateway.start_setup(customer.stripe_customer_id)


async def save_card(
    session: AsyncSession, gateway: StripeGateway, customer: StripeCustomer, setup: ConfirmedSetup
) -> bool:
    """Keep the card a succeeded setup saved, unless a newer setup's card is already kept; True if it changed."""
    if setup.customer_id != customer.stripe_customer_id:
        raise SetupNotFound("No such card setup")
    if setup.status != "succeeded" or setup.payment_method_id is None:
        raise SetupNotSucceeded(f"The card setup has not succeeded (it is {setup.status}); confirm it first")
    newer_kept = customer.card_setup_created_at is not None and customer.card_setup_created_at > setup.created_at
    if newer_kept or customer.card_setup_intent_id == setup.id:
        return False
    card = await gateway.card(setup.payment_method_id)
    customer.card_payment_method_id = card.payment_method_id
    customer.card_brand = card.brand
    customer.card_last4 = card.last4
    customer.card_exp_month = card.exp_month
    customer.card_exp_year = card.exp_year
    customer.card_setup_intent_id = setup.id
    customer.card_setup_created_at = setup.created_at
    await session.flush()
    return True


async def confirm_card(session: AsyncSession, gateway: StripeGateway, tenant: Tenant, setup_intent_id: str) -> None:
    """The portal's word that Stripe.js confirmed a setup: Stripe is asked how it stands, the portal is not believed."""
    customer = await stripe_customer(session, tenant, for_update=True)
    if customer is None:
        raise SetupNotFound("No such card setup")
    setup = await gateway.setup(setup_intent_id)
    if setup is None:
        raise SetupNotFound("No such card setup")
    await save_card(session, gateway, customer, setup)
