"""The HR desk's manifest section: ``[hr]`` with checklist templates, leave types, pay components and
the compliance reminder's lead time.

    [hr]
    compliance_reminder_days = 30      # a reminder this many days before a document expires

    [[hr.checklists]]
    name = "Standard onboarding"
    kind = "onboarding"                # onboarding | offboarding
    [[hr.checklists.tasks]]
    title = "Prepare the laptop"
    owner = "provider"                 # provider | client
    due_days = -2                      # business days from the first (or last) working day

    [[hr.leave_types]]                 # hr/leave_manifest.py
    [[hr.pay_components]]              # hr/payroll_manifest.py

    [hr.payroll_schedule]              # the draft payroll run prepared on its own each month
    day = 25                           # 1-31, the tenant's time zone (29-31: the last day of a shorter month)
    enabled = true

A file without ``[hr]`` leaves the desk alone. A file with it sets the reminder
lead time (default 30), and each list it writes (``checklists``,
``leave_types``, ``pay_components``) makes the tenant's rows of that kind equal
to it; a list the file does not write is left as the console keeps it, and so
is the payroll schedule when the file has no ``[hr.payroll_schedule]``. Cases
already started keep their tasks whatever happens to their template. Applying
the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import select

from bo_saas.hr.case_models import DEFAULT_REMINDER_DAYS, TASK_TITLE, CaseKind, ChecklistTemplate, HrSettings, TaskOwner
from bo_saas.hr.checklists import task_dicts
from bo_saas.hr.leave_manifest import LeaveTypeEntry, apply_leave_types, export_leave_types
from bo_saas.hr.payroll_manifest import (
    PayComponentEntry,
    apply_pay_components,
    check_pay_components,
    export_pay_components,
)
from bo_saas.hr.payroll_schedule import set_schedule
from bo_saas.hr.payroll_schedule_models import FIRST_DAY, LAST_DAY, PayrollSchedule
from bo_saas.lib import limits
from bo_saas.tenancy.manifest import TenantSection
from bo_saas.tenancy.manifest_fields import Count, ManifestModel, OneOf, Text, fail, no_repeats
from bo_saas.tenancy.manifest_rows import RowSet, shown, stored_rows, sync_rows
from bo_saas.tenancy.manifest_sections import ApplyContext, CheckContext, ExportContext, ManifestSection, Problem

SERVICE = "hr"


class ChecklistTask(ManifestModel):
    title: Text(TASK_TITLE)
    owner: OneOf("a task owner", [owner.value for owner in TaskOwner]) = TaskOwner.PROVIDER.value
    due_days: Count(-250, 250, " business days") = 0


def _some_tasks(tasks: list[ChecklistTask]) -> tuple[ChecklistTask, ...]:
    if not tasks:
        fail([((), "a checklist needs at least one task")], tasks)
    return tuple(tasks)


class ChecklistEntry(ManifestModel):
    name: Text(limits.NAME)
    kind: OneOf("a checklist kind", [kind.value for kind in CaseKind])
    tasks: Annotated[list[ChecklistTask], AfterValidator(_some_tasks)]


def _checklists_once(entries: list[ChecklistEntry]) -> tuple[ChecklistEntry, ...]:
    no_repeats(entries, lambda entry: entry.name, "hr.checklists", at=("name",))
    return tuple(entries)


def _leave_types_once(entries: list[LeaveTypeEntry]) -> tuple[LeaveTypeEntry, ...]:
    no_repeats(entries, lambda entry: entry.code, "hr.leave_types", at=("code",))
    return tuple(entries)


def _pay_components_hold(entries: list[PayComponentEntry]) -> tuple[PayComponentEntry, ...]:
    fail(check_pay_components(list(entries)), entries)
    return tuple(entries)


class PayrollScheduleEntry(ManifestModel):
    day: Count(FIRST_DAY, LAST_DAY, " (a day of the month)")
    enabled: bool = True


class HrTable(ManifestModel):
    compliance_reminder_days: Count(0, 365, " days") = DEFAULT_REMINDER_DAYS
    checklists: Annotated[list[ChecklistEntry], AfterValidator(_checklists_once)] = ()
    leave_types: Annotated[list[LeaveTypeEntry], AfterValidator(_leave_types_once)] = ()
    pay_components: Annotated[list[PayComponentEntry], AfterValidator(_pay_components_hold)] = ()
    payroll_schedule: PayrollScheduleEntry | None = None


class HrSection(ManifestModel):
    hr: HrTable = HrTable()


def _check(context: CheckContext) -> Iterable[Problem]:
    section: HrSection | None = context.manifest.get("hr")
    tenant: TenantSection | None = context.manifest.get("tenant")
    if section is not None and tenant is not None and SERVICE not in tenant.services:
        yield Problem(("hr",), 'the HR desk needs the "hr" service in services')


CHECKLIST_ROWS = RowSet(
    name="hr_checklists",
    noun="checklist template",
    model=ChecklistTemplate,
    stored=lambda row: {"name": row.name, "kind": row.kind, "tasks": list(row.tasks)},
    label=lambda values: values["name"],
    show=lambda values: f"{values['kind']}, {len(values['tasks'])} tasks",
    difference=lambda old, new: "; ".join(
        f"{field} {shown(old[field])} -> {shown(new[field])}" if field == "kind"
        else f"tasks {len(old['tasks'])} -> {len(new['tasks'])} (edited)"
        for field in ("kind", "tasks") if old[field] != new[field]
    ),
)  # fmt: skip


async def _apply_settings(context: ApplyContext, days: int) -> list[str]:
    settings = await context.session.get(HrSettings, context.tenant_id)
    if settings is None:
        context.session.add(HrSettings(tenant_id=context.tenant_id, compliance_reminder_days=days))
        if days == DEFAULT_REMINDER_DAYS:
            return []
    elif settings.compliance_reminder_days == days:
        return []
    else:
        settings.compliance_reminder_days = days
    context.record("hr.settings_changed", "hr_settings", str(context.tenant_id), {"compliance_reminder_days": days})
    return [f"compliance reminders {days} days before expiry"]


async def _apply_schedule(context: ApplyContext, entry: PayrollScheduleEntry) -> list[str]:
    changes = await set_schedule(context.session, context.tenant_id, day=entry.day, enabled=entry.enabled)
    if not changes:
        return []
    context.record("hr.payroll_schedule_changed", "hr_payroll_schedule", str(context.tenant_id), changes)
    state = "enabled" if entry.enabled else "disabled"
    return [f"payroll schedule: day {entry.day} of each month ({state})"]


async def _apply(context: ApplyContext, section: HrSection) -> list[str]:
    table = section.hr
    written = table.model_fields_set
    phrases = await _apply_settings(context, table.compliance_reminder_days)
    if "checklists" in written:
        wanted = [{"name": c.name, "kind": c.kind, "tasks": task_dicts(c.tasks)} for c in table.checklists]
        phrases += await sync_rows(context, CHECKLIST_ROWS, wanted)
    if "leave_types" in written:
        phrases += await apply_leave_types(context, list(table.leave_types))
    if "pay_components" in written:
        phrases += await apply_pay_components(context, list(table.pay_components))
    if table.payroll_schedule is not None:
        phrases += await _apply_schedule(context, table.payroll_schedule)
    if not phrases:
        context.unchanged.append("hr unchanged")
    return phrases


async def _export(context: ExportContext) -> dict[str, Any] | None:
    table: dict[str, Any] = {}
    days = await context.session.scalar(
        select(HrSettings.compliance_reminder_days).where(HrSettings.tenant_id == context.tenant_id)
    )
    if days is not None:
        table["compliance_reminder_days"] = days
    checklists = sorted(await stored_rows(context.session, CHECKLIST_ROWS, context.tenant_id), key=lambda v: v["name"])
    if checklists:
        table["checklists"] = checklists
    for key, exported in (("leave_types", export_leave_types), ("pay_components", export_pay_components)):
        entries = await exported(context)
        if entries:
            table[key] = entries
    schedule = await context.session.get(PayrollSchedule, context.tenant_id)
    if schedule is not None:
        table["payroll_schedule"] = {"day": schedule.day, "enabled": schedule.enabled}
    return {"hr": table} if table else None


HR_SECTION = ManifestSection(
    name="hr",
    model=HrSection,
    apply=_apply,
    export=_export,
    order=57,  # after the tenant's services and work's sections, beside the other desks
    authoritative=False,  # a file without [hr] leaves the desk (and what the console set) alone
    check=_check,
)
