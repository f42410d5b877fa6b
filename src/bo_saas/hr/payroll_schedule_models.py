"""The tenant's payroll schedule: the day of the month its draft payroll run is prepared on its own.

One row per tenant (``tenant_id`` is the key; migration 0031 forces RLS). The
day is read in the tenant's time zone; a day past the month's end (29 to 31)
means the month's last day. ``last_period`` is the period the schedule last
prepared or found already prepared, so each period is prepared once.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.models import Base, TenantOwned, Timestamps

FIRST_DAY, LAST_DAY = 1, 31


class PayrollSchedule(TenantOwned, Timestamps, Base):
    __tablename__ = "hr_payroll_schedules"

    day: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(default=True)
    last_period: Mapped[str | None] = mapped_column(String(7))  # "2026-12"
