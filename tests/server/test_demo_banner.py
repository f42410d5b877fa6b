"""The demo's banner lists every demo sign-in, with its role and tenant, so nobody has to guess one."""

from __future__ import annotations

import tomllib

from bo_saas.identity.staff_cli import DEMO_PASSWORD
from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.server.demo import banner

MANIFESTS = sorted((PROJECT_ROOT / "tenants").glob("*.toml"))


def _line_for(text: str, email: str) -> str:
    (line,) = [line for line in text.splitlines() if line.split()[:1] == [email]]
    return line


def test_the_banner_names_every_manifest_user_with_role_tenant_and_services() -> None:
    text = banner("http://127.0.0.1:8000", MANIFESTS)

    for path in MANIFESTS:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
        for user in manifest["users"]:
            line = _line_for(text, user["email"])
            role = {"client_admin": "client admin of", "client_member": "member of"}[user["role"]]
            assert f"{role} {manifest['name']}" in line
            assert all(service in line for service in manifest["services"])
    assert f"sign in with password {DEMO_PASSWORD}:" in text


def test_the_banner_names_the_provider_admin_and_the_agent_with_what_they_do() -> None:
    text = banner("http://127.0.0.1:8000", MANIFESTS)

    assert "provider admin:" in _line_for(text, "admin@provider.example")
    assert "claims work from the queue" in _line_for(text, "agent@provider.example")
    assert text.splitlines()[0].startswith("bo-saas demo on http://127.0.0.1:8000")
