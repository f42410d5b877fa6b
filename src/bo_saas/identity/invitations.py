"""Invitations: an invited account gets an email with a one-time link to set its password."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account


async def send_invitation(
    session: AsyncSession, account: Account, invite_token: str, *, tenant_name: str | None
) -> None:
    """Queue the invitation email in the caller's transaction (sent after commit)."""
    from bo_saas.lib.email import send_email
    from bo_saas.lib.outbox import enqueue

    where = f" to {tenant_name}" if tenant_name else " to the bo-saas provider console"
    body = (
        f"Hello {account.name},\n\n"
        f"You have been invited{where} on bo-saas.\n"
        "Choose your password by sending this invitation token to POST /api/v1/auth/invitations/accept\n"
        "(the web app does this for you when you open the invitation link):\n\n"
        f"    {invite_token}\n\n"
        "The invitation is valid for 7 days.\n"
    )
    await enqueue(session, send_email, to=account.email, subject=f"You are invited{where}", body=body)
