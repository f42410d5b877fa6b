"""One-time links by email: an invitation to choose a first password, or a password reset.

The server keeps only a token's hash; the email carries the only copy. The token
travels to the email job sealed (``lib.sealed``), so the outbox row, Redis and the
dead-letter queue never hold it in clear. It rides in the link's fragment (after
``#``), which browsers never send to a server, so it stays out of access logs and
``Referer`` headers too.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account

ACCEPT_PATH = "/accept-invitation"
RESET_PATH = "/reset-password"


async def _send_link(
    session: AsyncSession, account: Account, *, subject: str, intro: str, path: str, token: str, validity: str
) -> None:
    from bo_saas.lib.email import send_email
    from bo_saas.lib.outbox import enqueue
    from bo_saas.lib.sealed import seal
    from bo_saas.lib.settings import get_settings

    # The same settings as the email job that unseals it (both read the environment).
    settings = get_settings()
    body = (
        f"Hello {account.name},\n\n"
        f"{intro}\n\n"
        f"    {settings.web_url(path)}#token={{{{token}}}}\n\n"
        f"The link works once, {validity}. If you did not expect this email, ignore it.\n"
    )
    await enqueue(
        session, send_email, to=account.email, subject=subject, body=body, sealed={"token": seal(settings, token)}
    )


async def send_invitation(
    session: AsyncSession, account: Account, invite_token: str, *, tenant_name: str | None
) -> None:
    """Queue the invitation email in the caller's transaction (sent after commit)."""
    where = f" to {tenant_name}" if tenant_name else " to the bo-saas provider console"
    await _send_link(
        session,
        account,
        subject=f"You are invited{where}",
        intro=f"You have been invited{where} on bo-saas. Open this link to choose your password:",
        path=ACCEPT_PATH,
        token=invite_token,
        validity="within 7 days",
    )


async def send_password_reset(session: AsyncSession, account: Account, token: str, *, minutes: int) -> None:
    """Queue the password-reset email in the caller's transaction (sent after commit)."""
    await _send_link(
        session,
        account,
        subject="Reset your bo-saas password",
        intro="Someone (we hope you) asked to reset your bo-saas password. Open this link to choose a new one:",
        path=RESET_PATH,
        token=token,
        validity=f"within {minutes} minutes",
    )
