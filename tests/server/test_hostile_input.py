"""Hostile request shapes answer a clear 4xx, never a 500, signed in or not."""

from __future__ import annotations

import pytest
from litestar import get
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Role
from bo_saas.server.app import create_app
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save

DEEP = 5_000
# Just under the interpreter's recursion limit: decoded, then handed on to validation and the handler.
NEAR_LIMIT = 950


async def test_json_nested_thousands_of_levels_deep_is_a_400_on_an_anonymous_route(client):
    body = "[" * DEEP + "]" * DEEP

    response = await client.post(
        "/api/v1/auth/invitations/accept", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert "deep" in response.json()["detail"]


async def test_deeply_nested_json_object_inside_a_valid_field_is_a_400(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    nested = '{"a":' * DEEP + "1" + "}" * DEEP

    response = await client.post(
        "/api/v1/users",
        content='{"email": "x@example.test", "name": ' + nested + "}",
        headers={**bearer(app, admin, Role.CLIENT_ADMIN, tenant.id), "Content-Type": "application/json"},
    )

    assert response.status_code == 400, response.text


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/notifications"])
@pytest.mark.parametrize("parameter", ["offset", "limit"])
async def test_a_paging_number_beyond_64_bits_is_a_400(app, client, admin_session, path, parameter):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    response = await client.get(
        path, params={parameter: str(2**64)}, headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    )

    assert response.status_code == 400, response.text
    assert parameter in response.text


async def test_the_largest_64_bit_offset_is_still_an_empty_page(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    response = await client.get(
        "/api/v1/users", params={"offset": str(2**63 - 1)}, headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    )

    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
async def test_a_json_route_called_with_another_content_type_is_a_415(client, content_type):
    response = await client.post(
        "/api/v1/auth/invitations/accept",
        content='{"token": "an-invitation-token", "password": "a-long-enough-pw"}',
        headers={"Content-Type": content_type},
    )

    assert response.status_code == 415, response.text


async def test_a_json_route_accepts_json_with_a_charset_and_json_suffix_types(client):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = await client.post(
            "/api/v1/auth/invitations/accept",
            content='{"token": "nope", "password": "a-long-enough-pw"}',
            headers={"Content-Type": content_type},
        )
        # Understood as JSON: the invitation itself is refused, not the media type.
        assert response.status_code == 400, (content_type, response.text)
        assert "invitation" in response.json()["detail"]


async def test_a_form_route_still_takes_its_form(client):
    response = await client.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": "a", "password": "b"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_json_nested_just_under_the_recursion_limit_is_a_4xx_too(client):
    body = '{"token": "an-invitation-token", "password": ' + "[" * NEAR_LIMIT + "]" * NEAR_LIMIT + "}"

    response = await client.post(
        "/api/v1/auth/invitations/accept", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text


@get("/too-big/orm", opt={"anonymous": True})
async def too_big_through_the_orm(db_session: AsyncSession) -> None:
    await db_session.execute(text("SELECT CAST(:n AS bigint)"), {"n": 2**64})


@get("/too-big/raw", opt={"anonymous": True})
async def too_big_through_asyncpg(db_session: AsyncSession) -> None:
    async with db_session.bind.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        await driver.execute("SELECT $1::bigint", 2**64)


@pytest.mark.parametrize("path", ["/too-big/orm", "/too-big/raw"])
async def test_an_integer_the_driver_cannot_send_is_a_400_on_either_database_path(settings, admin_engine, path):
    app = create_app(settings)
    app.register(too_big_through_the_orm)
    app.register(too_big_through_asyncpg)
    async with AsyncTestClient(app=app) as client:
        response = await client.get(path)

    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "A value is not valid for its field"
