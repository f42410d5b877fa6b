"""The furniture every domain reuses: declared sorting on lists, domain errors in Litestar's shape, change diffs."""

from __future__ import annotations

from types import SimpleNamespace

from bo_saas.lib.caller import Role
from bo_saas.lib.changes import apply_changes
from tests.auth import bearer
from tests.desk import queued_item
from tests.factories import TenantFactory, save, staff_user


async def test_an_unknown_sort_key_answers_400_naming_the_allowed_ones(desk, client):
    response = await client.get("/api/v1/work-items?sort=colour", headers=desk.as_("admin"))

    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status_code"] == 400
    assert "colour" in body["detail"] and "-created_at" in body["detail"]
    assert body["extra"]["allowed"] == ["due_at", "-due_at", "created_at", "-created_at", "priority", "-priority"]


async def test_a_list_sorts_by_its_declared_keys_both_ways(app, client, admin_session, desk):
    admin = await _provider_admin(app, admin_session)
    await save(admin_session, TenantFactory(slug="aaa-first"), TenantFactory(slug="zzz-last"))

    ascending = (await client.get("/api/v1/tenants?sort=slug", headers=admin)).json()
    descending = (await client.get("/api/v1/tenants?sort=-slug", headers=admin)).json()

    slugs = [t["slug"] for t in ascending["items"]]
    assert slugs == sorted(slugs) and slugs[0] == "aaa-first"
    assert [t["slug"] for t in descending["items"]] == list(reversed(slugs))
    assert ascending["total"] == descending["total"] == len(slugs)


async def test_a_page_counts_every_match_and_returns_only_its_slice(desk, client, admin_session):
    await save(admin_session, *(queued_item(desk.tenant, title=f"item {n}") for n in range(5)))

    page = (await client.get("/api/v1/work-items?limit=2&offset=1&sort=created_at", headers=desk.as_("admin"))).json()

    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 1, 2)


async def test_a_domain_error_from_a_service_answers_in_litestars_shape(desk, client, admin_session):
    item = queued_item(desk.tenant, requester_id=desk.member.id)
    await save(admin_session, item)

    # The service refuses a transition the state machine does not allow: a 409 with the allowed moves.
    refused = await client.post(
        f"/api/v1/work-items/{item.id}/transitions", json={"to": "done"}, headers=desk.as_("member")
    )

    assert refused.status_code == 409, refused.text
    assert set(refused.json()) == {"status_code", "detail", "extra"}
    assert "cancelled" in refused.json()["extra"]["allowed"]


async def test_another_members_item_answers_404_not_403(desk, client, admin_session):
    theirs = queued_item(desk.tenant, requester_id=desk.other_member.id)
    await save(admin_session, theirs)

    response = await client.get(f"/api/v1/work-items/{theirs.id}", headers=desk.as_("member"))

    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "No such work item"}


def test_apply_changes_sets_what_differs_and_returns_old_and_new():
    row = SimpleNamespace(name="Acme", plan_code="growth", active=True)

    changes = apply_changes(row, {"name": "Acme Co", "plan": "growth", "active": None}, names={"plan": "plan_code"})

    assert changes == {"name": {"old": "Acme", "new": "Acme Co"}}
    assert (row.name, row.plan_code, row.active) == ("Acme Co", "growth", True)


async def _provider_admin(app, admin_session) -> dict[str, str]:
    person = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    return bearer(app, person, Role.PROVIDER_ADMIN)
