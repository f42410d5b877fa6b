"""The ``bo-saas`` command line, run as a separate process like an operator would."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text

from tests.factories import TenantFactory, save


def bo_saas(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bo_saas.server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


async def test_staff_add_reads_the_password_from_stdin_and_assigns_tenants(settings, admin_session, client):
    tenant = TenantFactory(slug="acme-cli")
    await save(admin_session, tenant)

    result = bo_saas(
        "staff",
        "add",
        "Keyer@Provider.test",
        "--role",
        "provider_agent",
        "--skills",
        "data_entry,support",
        "--tenants",
        "acme-cli",
        "--capacity",
        "4",
        stdin="a-strong-password\n",
    )

    assert result.returncode == 0, result.stderr
    assert "added provider_agent keyer@provider.test" in result.stdout
    signed_in = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "keyer@provider.test", "password": "a-strong-password"},
    )
    assert signed_in.status_code == 200
    me = (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"})
    ).json()
    assert [t["slug"] for t in me["assigned_tenants"]] == ["acme-cli"]


async def test_staff_add_with_an_unknown_tenant_fails_clearly_and_adds_nobody(settings, admin_session):
    result = bo_saas(
        "staff",
        "add",
        "x@provider.test",
        "--role",
        "provider_admin",
        "--tenants",
        "nowhere",
        stdin="a-strong-password\n",
    )

    assert result.returncode == 1
    assert "--tenants: unknown tenant(s) nowhere" in result.stderr
    count = (await admin_session.execute(text("SELECT count(*) FROM accounts"))).scalar_one()
    assert count == 0


def test_bad_settings_stop_the_cli_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("BO_PORT", "not-a-port")

    result = bo_saas("migrate")

    assert result.returncode == 1 and "BO_PORT" in result.stderr


async def test_billing_run_makes_each_draft_once_and_prints_a_summary(settings, admin_session):
    from tests.billing.helpers import subscribed_tenant

    await subscribed_tenant(admin_session, "growth", slug="acme-billing")

    first = bo_saas("billing", "run", "--period", "2026-10")
    again = bo_saas("billing", "run", "--period", "2026-10", "--tenant", "acme-billing")

    assert first.returncode == 0, first.stderr
    assert "billing run for 2026-10: 1 created, 0 recomputed, 0 unchanged" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 recomputed, 1 unchanged" in again.stdout
    count = (await admin_session.execute(text("SELECT count(*) FROM invoices"))).scalar_one()
    assert count == 1


async def test_billing_run_refuses_a_period_that_has_not_ended(settings, admin_session):
    from tests.billing.helpers import subscribed_tenant

    await subscribed_tenant(admin_session, "growth", slug="acme-early")

    result = bo_saas("billing", "run", "--period", "2999-01")

    assert result.returncode == 1
    assert "period: 2999-01 has not ended yet for acme-early (Asia/Riyadh)" in result.stderr
    count = (await admin_session.execute(text("SELECT count(*) FROM billing_runs"))).scalar_one()
    assert count == 0
