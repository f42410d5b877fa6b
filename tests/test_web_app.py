"""The web app is served by the API server: deep links open it, assets are cached, the API stays the API."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from bo_saas.server.app import create_app


@pytest.fixture
async def web_client(settings, admin_engine, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('app')")
    (dist / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("outside the build")
    app = create_app(settings.model_copy(update={"frontend_dir": dist}))
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_any_page_path_opens_the_app_uncached(web_client):
    for path in ("/", "/portal/items/6a8b0d7e-0000-4000-8000-000000000000", "/console"):
        response = await web_client.get(path)
        assert response.status_code == 200, path
        assert "<div id=root>" in response.text
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"


async def test_hashed_assets_and_top_level_files_are_served_as_files(web_client):
    asset = await web_client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and "console.log" in asset.text
    assert "max-age=31536000" in asset.headers["cache-control"]
    favicon = await web_client.get("/favicon.svg")
    assert (favicon.text, favicon.headers["content-type"]) == ("<svg/>", "image/svg+xml")


async def test_api_paths_are_never_answered_with_the_app(web_client):
    missing = await web_client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["status_code"] == 404
    assert (await web_client.get("/health")).json() == {"status": "ok"}


async def test_nothing_outside_the_build_is_served(web_client):
    response = await web_client.get("/..%2Fsecret.txt")
    assert "outside the build" not in response.text


async def test_an_unbuilt_app_says_how_to_build_it(settings, admin_engine, tmp_path):
    app = create_app(settings.model_copy(update={"frontend_dir": tmp_path / "nothing"}))
    async with AsyncTestClient(app=app) as client:
        response = await client.get("/")
    assert response.status_code == 503
    assert "make demo" in response.text
