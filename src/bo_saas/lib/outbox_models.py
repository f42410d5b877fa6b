"""Tables behind the transactional outbox (see ``lib/outbox.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base


class OutboxMessage(Base):
    """A dramatiq message written in the same transaction as the change that caused it."""

    __tablename__ = "outbox_messages"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    queue_name: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str] = mapped_column(String(120))
    message: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class ProcessedMessage(Base):
    """Messages an actor has already applied: the same message twice acts once."""

    __tablename__ = "processed_messages"
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    actor_name: Mapped[str] = mapped_column(String(120))
    processed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
