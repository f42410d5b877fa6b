"""A tenant's users and API clients as the caller may see them: "get visible or 404".

RLS scopes both to the request's tenants; nothing narrower applies inside a
tenant (the routes' guards already keep them to admins).
"""

from __future__ import annotations

from typing import Any

from bo_saas.identity.errors import ApiClientNotFound, UserNotFound
from bo_saas.identity.models import ApiClient, Membership
from bo_saas.lib.repository import TenantRepository


class ApiClients(TenantRepository[ApiClient]):
    model = ApiClient
    not_found = ApiClientNotFound
    not_found_message = "No such API client"


class Users(TenantRepository[Membership]):
    """A user of a tenant is their membership, looked up by the person's account id."""

    model = Membership
    not_found = UserNotFound
    not_found_message = "No such user"

    @classmethod
    def key(cls) -> Any:
        return Membership.account_id
