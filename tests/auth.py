"""Signing in from tests: through the real token endpoint, or by minting a token for speed."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from bo_saas.identity.models import Account
from bo_saas.lib.caller import Caller, Role
from tests.factories import DEFAULT_PASSWORD


async def password_login(client: AsyncTestClient, email: str, password: str = DEFAULT_PASSWORD):
    return await client.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": email, "password": password}
    )


def bearer(app, account: Account, role: Role, tenant_id=None) -> dict[str, str]:
    """Headers with an access token minted by the app's own signer (skips argon2 for speed)."""
    caller = Caller(role=role, account_id=account.id, tenant_id=tenant_id)
    return {"Authorization": f"Bearer {app.state.token_signer.issue(caller)}"}
