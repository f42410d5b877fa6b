"""What a tenant's settings may be; shared by the API and manifests."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bo_saas.tenancy.models import SERVICE_CODES


def timezone_problem(name: str) -> str | None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not a known IANA time zone (for example 'Asia/Riyadh')"
    return None


def services_problem(services: list[str]) -> str | None:
    unknown = sorted(set(services) - set(SERVICE_CODES))
    if unknown:
        return f"unknown services {', '.join(unknown)}; choose from {', '.join(SERVICE_CODES)}"
    if len(set(services)) != len(services):
        return "services must not repeat"
    return None


def services_outside_plan(services: list[str], plan: str, included: frozenset[str] | set[str]) -> list[tuple[int, str]]:
    """Each listed service the plan does not include, with its index and why; the API and manifests share it.

    A service the plan lacks would be listed but never offered: refuse it when it is asked for.
    """
    offered = ", ".join(code for code in SERVICE_CODES if code in included) or "no built-in service"
    return [
        (index, f'"{code}" is not included in plan "{plan}" (it includes {offered})')
        for index, code in enumerate(services)
        if code not in included
    ]
