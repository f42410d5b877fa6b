"""Identity's part in onboarding a tenant: its first client admin, invited by email.

Fills the hook ``tenancy.onboarding`` offers (installed by ``identity/domain.py``).
It runs inside the transaction that created the tenant, so a refusal here (an
address that already has an account, one that is not an address) leaves no
tenant behind. Problems name their field as the form knows it
(``first_admin.email: ...``), so the console shows them beside that field.
"""

from __future__ import annotations

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.accounts import AccountError, DuplicateAccountError, add_client_account, normalise_email
from bo_saas.identity.errors import AccountConflict, InvalidAccountRequest
from bo_saas.identity.invitations import send_invitation
from bo_saas.lib.caller import Role
from bo_saas.tenancy.models import Tenant
from bo_saas.tenancy.onboarding import FirstAdmin


async def invite_first_admin(session: AsyncSession, request: Request, tenant: Tenant, admin: FirstAdmin) -> None:
    """Add ``admin`` to the new tenant as an invited client admin and queue the invitation (sent after commit)."""
    try:
        normalise_email(admin.email)
    except AccountError as exc:
        raise InvalidAccountRequest(f"first_admin.email: {exc}") from None
    if not admin.name.strip():
        raise InvalidAccountRequest("first_admin.name: must not be blank")
    try:
        account, _membership, invite_token = await add_client_account(
            session, tenant_id=tenant.id, email=admin.email, name=admin.name, role=Role.CLIENT_ADMIN, password=None
        )
    except DuplicateAccountError as exc:
        raise AccountConflict(f"first_admin.email: {exc}") from None
    except AccountError as exc:
        raise InvalidAccountRequest(f"first_admin: {exc}") from None
    assert invite_token is not None  # no password: always an invitation
    await send_invitation(session, account, invite_token, tenant_name=tenant.name)
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action="user.invited",
        subject_type="user",
        subject_id=str(account.id),
        changes={"email": account.email, "role": Role.CLIENT_ADMIN.value, "first_admin": True},
    )
    await session.flush()
