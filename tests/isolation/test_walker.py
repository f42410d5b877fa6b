"""Every route of the app, called as four callers (see ``walker``), and no route without an entry.

The shipped app is walked with every ``routes_<domain>`` fragment; a test-only
domain (the test desk) is walked on an app built with it, with its own fragment.
"""

from __future__ import annotations

import pytest

from bo_saas.server.app import create_app
from bo_saas.server.registry import registry
from tests.isolation.walker import (
    EXTRA_DOMAINS,
    Entry,
    extra_fragments,
    fragments,
    routes_of,
    seeds_of,
    uncovered,
    walk,
)

SHIPPED = fragments()
EXTRA = extra_fragments()
ROUTES = routes_of(SHIPPED)
EXTRA_ROUTES = routes_of(EXTRA)


def _entry_id(entry: Entry) -> str:
    return f"{entry.method} {entry.path}"


def test_every_route_has_an_isolation_entry(settings):
    missing, stale = uncovered(create_app(settings), ROUTES)
    assert not missing, f"routes without an isolation-walker entry: {missing}"
    assert not stale, f"walker entries for routes that no longer exist: {stale}"


@pytest.mark.skipif(not EXTRA, reason="no test-only domain with an isolation fragment in this checkout")
def test_every_route_of_an_app_with_the_test_domains_has_an_isolation_entry(settings):
    app = create_app(settings, registry=registry(EXTRA_DOMAINS))
    missing, stale = uncovered(app, ROUTES + EXTRA_ROUTES)
    assert not missing, f"routes without an isolation-walker entry: {missing}"
    assert not stale, f"walker entries for routes that no longer exist: {stale}"


@pytest.mark.parametrize("entry", ROUTES, ids=_entry_id)
async def test_route_keeps_tenants_apart(entry: Entry, app, client, admin_session):
    await walk(entry, app, client, admin_session, seeds_of(SHIPPED))


@pytest.mark.parametrize("entry", EXTRA_ROUTES, ids=_entry_id)
async def test_test_domain_route_keeps_tenants_apart(entry: Entry, testdesk_app, testdesk_client, admin_session):
    await walk(entry, testdesk_app, testdesk_client, admin_session, seeds_of(SHIPPED + EXTRA))
