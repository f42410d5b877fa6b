"""A tenant's billing profile: who its invoices are made out to, and the tax they carry.

A tax id is checked with python-stdnum where the profile's country has a VAT
number format (the EU states, the UK, Norway, Switzerland and more); it is
stored in its compact form, so one number is written one way. Countries
stdnum has no VAT format for (Saudi Arabia, the UAE, ...) keep the id as typed.
"""

from __future__ import annotations

from uuid import UUID

from email_validator import EmailNotValidError, validate_email
from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import get_cc_module
from stdnum.exceptions import ValidationError as NumberError

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import InvalidBillingRequest
from bo_saas.billing.models import BillingProfile, InvoiceLanguage
from bo_saas.billing.schemas import BillingProfileIn
from bo_saas.lib.changes import apply_changes


def checked_tax_id(country: str, tax_id: str | None) -> str | None:
    """The tax id in the country's compact form, or InvalidBillingRequest saying why it is not one."""
    tax_id = (tax_id or "").strip()
    if not tax_id:
        return None
    vat = get_cc_module(country.lower(), "vat")
    if vat is None:
        return tax_id
    try:
        return vat.validate(tax_id)
    except NumberError as exc:
        raise InvalidBillingRequest(f"tax_id: {tax_id!r} is not a valid {country} tax number: {exc.message}") from None


def _checked_email(address: str) -> str:
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidBillingRequest(f"billing_email: {exc}") from None


async def save_profile(
    session: AsyncSession, request: Request | None, tenant_id: UUID, data: BillingProfileIn
) -> BillingProfile:
    wanted = {
        "legal_name": data.legal_name.strip(),
        "address": data.address.strip(),
        "country": data.country,
        "tax_id": checked_tax_id(data.country, data.tax_id),
        "tax_rate_bp": data.tax_rate_bp,
        "invoice_language": InvoiceLanguage(data.invoice_language),
        "billing_email": _checked_email(data.billing_email),
    }
    if not wanted["legal_name"] or not wanted["address"]:
        raise InvalidBillingRequest("legal_name and address must not be blank")
    profile = await session.get(BillingProfile, tenant_id, with_for_update=True)
    if profile is None:
        profile = BillingProfile(tenant_id=tenant_id, **wanted)
        session.add(profile)
        changes = {key: {"old": None, "new": value} for key, value in wanted.items() if value is not None}
    else:
        changes = apply_changes(profile, wanted)
        if wanted["tax_id"] is None and profile.tax_id is not None:  # a PUT replaces: no tax id clears it
            changes["tax_id"] = {"old": profile.tax_id, "new": None}
            profile.tax_id = None
    if changes:
        record_event(
            session,
            request,
            tenant_id=tenant_id,
            action="billing_profile.saved",
            subject_type="billing_profile",
            subject_id=str(tenant_id),
            changes=changes,
        )
        await session.flush()
        await session.refresh(profile)
    return profile
