"""A commit that fails when the handler is done is answered as an error and logged, never swallowed behind a 2xx."""

from __future__ import annotations

import json

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from bo_saas.identity.models import ApiClient
from bo_saas.lib.caller import Role
from bo_saas.server.app import create_app
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save

# A constraint trigger deferred to COMMIT: the handler's flushes pass, only the commit fails.
TRIGGER = (
    """
CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = 'breaks a rule at commit' THEN
        RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation';
    ELSIF NEW.name = 'fails at commit' THEN
        RAISE EXCEPTION 'broken at commit';
    END IF;
    RETURN NEW;
END $$
""",
    """
CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT ON api_clients
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_at_commit()
""",
)


@pytest.fixture
async def failing_commit(admin_engine):
    async with admin_engine.begin() as connection:
        for statement in TRIGGER:
            await connection.exec_driver_sql(statement)
    yield
    async with admin_engine.begin() as connection:
        await connection.exec_driver_sql("DROP TRIGGER test_fail_at_commit ON api_clients")
        await connection.exec_driver_sql("DROP FUNCTION test_fail_at_commit()")


@pytest.mark.parametrize(("name", "status"), [("breaks a rule at commit", 409), ("fails at commit", 500)])
async def test_a_commit_that_fails_is_answered_as_an_error_and_logged_with_the_request_id(
    settings, admin_session, failing_commit, capfd, fresh_loggers, name, status
):
    app = create_app(settings.model_copy(update={"log_level": "ERROR"}))
    fresh_loggers()
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    async with AsyncTestClient(app=app) as client:
        capfd.readouterr()
        response = await client.post(
            "/api/v1/api-clients",
            json={"name": name},
            headers={**bearer(app, admin, Role.CLIENT_ADMIN, tenant.id), "X-Request-ID": f"commit-{status}"},
        )
        stderr = capfd.readouterr().err
        # The same app goes on serving: the failed session was rolled back and closed.
        after = await client.post(
            "/api/v1/api-clients", json={"name": "a good one"}, headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
        )

    assert response.status_code == status, response.text
    assert "client_secret" not in response.text
    assert response.headers["x-request-id"] == f"commit-{status}"
    failures = [json.loads(line) for line in stderr.splitlines() if '"request.commit_failed"' in line]
    assert [(f["request_id"], f["status"]) for f in failures] == [(f"commit-{status}", status)]
    assert "at commit" in failures[0]["exception"]
    assert after.status_code == 201
    names = (await admin_session.execute(select(ApiClient.name))).scalars().all()
    await admin_session.rollback()  # let the fixture drop its trigger
    assert names == ["a good one"]
