"""The one maximum of every text a person or system can send, in characters.

Declared once here and read by the request schemas (``msgspec.Meta(max_length=...)``), the models'
column types (``String(n)``), the manifest fields and, through the OpenAPI document's ``maxLength``,
the web app's forms (``frontend/src/lib/limits.ts``, checked against the document by Vitest). A
longer value is refused with 400 naming the field, never cut short and never left to the database.
Changing a number here needs a migration for its columns (``tests/test_text_limits.py`` compares
them) and ``npm run api:generate``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

NAME = 200  # a person's, tenant's or API client's name
EMAIL = 320  # RFC 5321: 64 + @ + 255
PASSWORD = 1024  # argon2 hashes any length; this only bounds the work
TOKEN = 200  # an invitation or reset token as sent back
SLUG = 63  # a DNS label
CODE = 40  # plan, service type, skill and meter codes
TIMEZONE = 64  # IANA names are at most ~32 characters
COUNTRY = 8  # ISO 3166 code, with room for a subdivision
PERIOD = 13  # "HH:MM-HH:MM", with room for "9:00 - 17:00" as typed
SERVICE_TYPE_NAME = 120
TITLE = 300  # a work item's title
REASON = 5000  # why an item moved or waits on the client
SUSPENSION_REASON = 500
REVIEW_REASON = 1000  # one QA rejection reason
BODY = 20_000  # a comment or answer
DESCRIPTION = 500  # a webhook endpoint's description
URL = 2048  # a webhook endpoint's URL
EVENT = 80  # an event name
TENANT_REF = 63  # a tenant named by slug (ids are 36 characters)
SEARCH = 200  # a search box
ADDRESS = 1000  # a postal address, several lines (billing profiles)
TAX_ID = 40  # a VAT or tax number as printed, with its separators


def text(max_length: int, min_length: int = 0) -> type[str]:
    """A request field's string type with its maximum (and minimum), for msgspec and the OpenAPI document."""
    return Annotated[str, msgspec.Meta(min_length=min_length, max_length=max_length)]  # type: ignore[return-value]
