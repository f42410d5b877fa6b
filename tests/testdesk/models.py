"""The test desk's records: widgets on a work item, each to be checked before the item is done."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base
from bo_saas.work.models import DeskRecord


class Widget(DeskRecord, Base):
    __tablename__ = "test_desk_widgets"
    label: Mapped[str] = mapped_column(String(100))
    checked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
