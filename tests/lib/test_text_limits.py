"""Every text a caller sends has one maximum: the same in the API schema, the column and the form."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from sqlalchemy import String

from bo_saas.identity.models import Account, ApiClient
from bo_saas.lib import limits
from bo_saas.lib.caller import Role
from bo_saas.notify.models import WebhookEndpoint
from bo_saas.tenancy.models import BusinessCalendar, Tenant
from bo_saas.work.models import Comment, CustomServiceType, WorkItem, WorkItemTransition
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user

# Strings that need no length: their format or choices bound them already.
BOUNDED_FORMATS = {"date", "date-time", "uuid", "binary"}


def _request_schemas(app) -> dict[str, dict[str, Any]]:
    """The JSON request bodies of every route, as msgspec sees them (it checks nested limits too)."""
    bodies = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None and isinstance(data.annotation, type) and issubclass(data.annotation, msgspec.Struct):
                bodies.add(data.annotation)
    _, components = msgspec.json.schema_components(sorted(bodies, key=lambda body: body.__name__))
    return components


def _unbounded_strings(schema: dict[str, Any], where: str, components: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        return _unbounded_strings(components[schema["$ref"].rsplit("/", 1)[1]], where, components)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return [found for option in options for found in _unbounded_strings(option, where, components)]
    kind = schema.get("type")
    found = []
    if kind == "string" and "maxLength" not in schema and "enum" not in schema and "const" not in schema:
        if schema.get("format") not in BOUNDED_FORMATS:
            found.append(where)
    if kind == "array" and "items" in schema:
        found += _unbounded_strings(schema["items"], f"{where}[]", components)
    if kind == "object":
        for name, prop in schema.get("properties", {}).items():
            found += _unbounded_strings(prop, f"{where}.{name}", components)
        if isinstance(schema.get("additionalProperties"), dict):
            found += _unbounded_strings(schema["additionalProperties"], f"{where}.*", components)
        if isinstance(schema.get("propertyNames"), dict):
            found += _unbounded_strings(schema["propertyNames"], f"{where}.<key>", components)
    return found


def test_every_text_field_of_a_request_body_has_a_maximum(app):
    components = _request_schemas(app)
    assert len(components) > 20
    unbounded = [
        found
        for name, schema in components.items()
        if schema.get("type") == "object"
        for found in _unbounded_strings(schema, name, components)
    ]
    assert unbounded == []


# (request schema, field) -> the column that stores it: the schema's maxLength is the column's length.
STORED_AS = {
    ("UserInvite", "name"): Account.name,
    ("UserInvite", "email"): Account.email,
    ("StaffCreate", "name"): Account.name,
    ("ApiClientCreate", "name"): ApiClient.name,
    ("TenantCreate", "name"): Tenant.name,
    ("TenantCreate", "slug"): Tenant.slug,
    ("TenantCreate", "timezone"): Tenant.timezone,
    ("Suspension", "reason"): Tenant.suspended_reason,
    ("CalendarUpdate", "holiday_country"): BusinessCalendar.holiday_country,
    ("WorkItemCreate", "title"): WorkItem.title,
    ("TransitionCreate", "reason"): WorkItemTransition.reason,
    ("CommentCreate", "body"): Comment.body,
    ("WebhookEndpointCreate", "url"): WebhookEndpoint.url,
    ("WebhookEndpointCreate", "description"): WebhookEndpoint.description,
}


def _max_length(schema: dict[str, Any]) -> int | None:
    """Litestar writes an optional field's limit beside its ``oneOf``; the form reads it from either place."""
    for option in [schema, *schema.get("oneOf", [])]:
        if "maxLength" in option:
            return option["maxLength"]
    return None


async def test_columns_hold_exactly_what_the_schemas_allow(client):
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    mismatched = {}
    for (schema, field), column in STORED_AS.items():
        allowed = _max_length(schemas[schema]["properties"][field])
        stored = column.type.length if isinstance(column.type, String) else None
        if allowed is None or allowed != stored:
            mismatched[f"{schema}.{field}"] = (allowed, stored)
    assert mismatched == {}
    assert _max_length(schemas["WorkItemCreate"]["properties"]["title"]) == limits.TITLE
    assert CustomServiceType.name.type.length == limits.SERVICE_TYPE_NAME


async def test_a_3000_character_name_is_refused_naming_the_field_and_nothing_is_stored(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)

    invited = await client.post(
        "/api/v1/users", json={"email": "long@example.test", "name": "x" * 3000}, headers=headers
    )
    users = await client.get("/api/v1/users", headers=headers)

    assert invited.status_code == 400
    assert [entry["key"] for entry in invited.json()["extra"]] == ["name"]
    assert f"<= {limits.NAME}" in invited.json()["extra"][0]["message"]
    assert [user["email"] for user in users.json()["items"]] == [admin.email]


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        ("/api/v1/sla/calendar", "put", {"weekly_hours": {}, "holiday_country": "S" * 3000}, "holiday_country"),
        ("/api/v1/sla/calendar", "put", {"weekly_hours": {"mon": ["9" * 3000]}}, "weekly_hours"),
        ("/api/v1/tenants", "post", {"slug": "long-zone", "name": "Long", "timezone": "A" * 3000}, "timezone"),
        ("/api/v1/staff", "post", {"email": "s@example.test", "name": "S", "skills": ["k" * 3000]}, "skills"),
        ("/api/v1/staff", "post", {"email": "s@example.test", "name": "S", "tenants": ["t" * 3000]}, "tenants"),
    ],
)
async def test_text_past_its_maximum_answers_400_naming_the_field(
    app, client, admin_session, path, method, body, field
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN, (tenant,))
    headers = {**bearer(app, provider_admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant.id)}

    response = await getattr(client, method)(path, json=body, headers=headers)

    assert response.status_code == 400, response.text
    assert [entry["key"].split(".")[0].split("[")[0] for entry in response.json()["extra"]] == [field]
