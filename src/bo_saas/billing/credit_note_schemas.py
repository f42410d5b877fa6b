"""Request and response bodies of ``/api/v1/credit-notes``; amounts in minor units of the invoice's currency."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from bo_saas.lib import limits


class CreditNoteIn(msgspec.Struct, forbid_unknown_fields=True):
    invoice_id: Annotated[str, msgspec.Meta(max_length=36, description="the finalized invoice to correct")]
    reason: limits.text(500, min_length=1)
    # Before tax; tax is added at the invoice's rate. Omitted: everything the invoice still has uncredited.
    amount: Annotated[int, msgspec.Meta(gt=0, le=10**12, description="minor units, before tax")] | None = None


class CreditNoteOut(msgspec.Struct):
    id: str
    number: str  # CN-YYYY-NNNNNN
    invoice_id: str
    invoice_number: str
    reason: str
    currency: str
    subtotal: int
    tax: int
    total: int
    full: bool  # the whole rest of the invoice was credited
    issued_at: datetime
