"""The OpenAPI document: it builds, it is public, and it describes every route of the API."""

from __future__ import annotations

from bo_saas.server.routes import ROUTE_HANDLERS


async def test_openapi_document_builds_and_lists_every_api_route(client, app):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200, response.text
    documented = {(method.upper(), path) for path, item in response.json()["paths"].items() for method in item}
    routes = {
        (method, route.path.replace(":uuid}", "}").replace(":str}", "}"))
        for route in app.routes
        if route.path.startswith("/api/")
        for method in route.methods - {"OPTIONS", "HEAD"}
    }
    assert routes - documented == set()
    assert len(ROUTE_HANDLERS) > 10
