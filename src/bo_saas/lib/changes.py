"""Change an object's fields and record what changed, in the audit trail's ``{"old", "new"}`` form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def apply_changes(obj: Any, wanted: Mapping[str, Any], *, names: Mapping[str, str] | None = None) -> dict[str, dict]:
    """Set each wanted value that differs from the object's, and return the differences.

    ``None`` in ``wanted`` means "not asked for" (a PATCH leaves it out), so it never
    clears a field. ``names`` maps a wanted key to the attribute it sets when the
    two differ (the API's ``plan`` is a tenant's ``plan_code``); the diff keeps the
    API's key, which is what the audit trail and its readers see.
    """
    changes: dict[str, dict] = {}
    for key, new in wanted.items():
        attribute = (names or {}).get(key, key)
        old = getattr(obj, attribute)
        if new is None or new == old:
            continue
        changes[key] = {"old": old, "new": new}
        setattr(obj, attribute, new)
    return changes
