"""``/api/v1/hr/employees``: a tenant's employees; its admin and the hr staff serving it keep them.

There is no DELETE: an employee's record outlives their employment (payroll
history, leave, what the law asks a company to keep), so a leaver is
terminated by setting ``end_date``, their last working day, with PATCH; from
the next day their status reads ``terminated``. Another tenant's employee
answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr import employees
from bo_saas.hr.access import may_see_personal, one_tenant, require_keeper, tenant_country, tenant_today
from bo_saas.hr.crypto import keyring
from bo_saas.hr.employee_list import Filters, employee_page
from bo_saas.hr.employees import Employees, record_personal_read, refuse, save_employee, views
from bo_saas.hr.errors import InvalidEmployee
from bo_saas.hr.importing import MAX_FILE_BYTES, import_employees
from bo_saas.hr.models import DEPARTMENT, Employee, EmployeeStatus
from bo_saas.hr.personal import opened
from bo_saas.hr.schemas import CLEARABLE, EmployeeIn, EmployeeOut, EmployeeUpdate, ImportOut
from bo_saas.lib import limits
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import driver_connection, make_sessionmaker, scoped_read, scoped_session
from bo_saas.lib.pagination import OffsetPagination, PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope

FORM_OVERHEAD_BYTES = 64 * 1024


def _audit(db: AsyncSession, request: Request, employee: Employee, action: str, fields: list[str]) -> None:
    # Names of what changed, never personal values: the audit trail is read more widely than HR.
    record_event(
        db, request, tenant_id=employee.tenant_id, action=action, subject_type="hr_employee",
        subject_id=str(employee.id), changes={"employee_number": employee.employee_number, "fields": sorted(fields)},
    )  # fmt: skip


def _sent(data: EmployeeUpdate) -> dict[str, Any]:
    """The fields the update changes: what was sent, with null kept only where it clears (``CLEARABLE``)."""
    values = {name: getattr(data, name) for name in data.__struct_fields__}
    return {
        name: value
        for name, value in values.items()
        if value is not msgspec.UNSET and (value is not None or name in CLEARABLE)
    }


class EmployeeController(Controller):
    path = "/api/v1/hr/employees"
    tags = ["hr"]

    @get("/", summary="List employees, by employee number; personal data masked unless the caller may see it")
    async def list_employees(
        self,
        request: Request,
        db_engine: AsyncEngine,
        tenant_scope: TenantScope,
        page: PageRequest,
        status: Annotated[EmployeeStatus | None, QueryParameter(description="only employees in this status")] = None,
        department: Annotated[
            str | None, QueryParameter(max_length=DEPARTMENT, description="only employees of this department")
        ] = None,
        search: Annotated[
            str | None, QueryParameter(max_length=limits.SEARCH, description="name, number or email containing this")
        ] = None,
    ) -> OffsetPagination[EmployeeOut]:
        # The hot path (hr.employee_list): one statement, no ORM. A caller who cannot see personal data (a member)
        # reads in a read-only transaction: nothing decrypted, nothing written. A possible keeper (the admin, staff)
        # reads in a session whose same transaction checks the skill and records the unmasked read.
        tenant_id = one_tenant(tenant_scope)
        caller: Caller = request.user
        filters = Filters(status, department, search)
        if caller.role is not Role.CLIENT_ADMIN and not caller.is_staff:
            async with scoped_read(db_engine, tenant_scope) as connection:
                items, total, _ = await employee_page(connection, tenant_id, utc_now(), page, filters, None)
            return page_of(items, total=total, page=page)
        async with scoped_session(make_sessionmaker(db_engine), tenant_scope) as session:
            ring = keyring(request.app.state.settings) if await may_see_personal(session, caller) else None
            connection = await driver_connection(session)
            items, total, opened = await employee_page(connection, tenant_id, utc_now(), page, filters, ring)
            if opened:
                record_personal_read(session, request, tenant_id, opened)
        return page_of(items, total=total, page=page)

    @post("/", summary="Add an employee (the tenant's admin or hr staff)")
    async def create_employee(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: EmployeeIn
    ) -> EmployeeOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        today = await tenant_today(db, tenant.id)
        ring = keyring(request.app.state.settings)
        employee = employees.new_employee(tenant.id)
        fields = {name: getattr(data, name) for name in employees.ROW_FIELDS}
        refuse(await save_employee(
            db, ring, employee, fields, data.personal, country=await tenant_country(db, tenant.id), today=today,
            replace_personal=True,
        ))  # fmt: skip
        _audit(db, request, employee, "hr.employee_created", [*fields, *(["personal"] if data.personal else [])])
        # The caller just sent these values: showing them back reads nothing stored, so no read is recorded.
        return employees.view(employee, today, opened(ring, employee))

    @get("/{employee_id:uuid}", summary="One employee; personal data masked unless the caller may see it")
    async def get_employee(self, request: Request, db: AsyncSession, employee_id: UUID) -> EmployeeOut:
        employee = await Employees().get(db, employee_id)
        today = await tenant_today(db, employee.tenant_id)
        unmasked = await may_see_personal(db, request.user)
        (shown,) = views(db, request, keyring(request.app.state.settings), [employee], today, unmasked)
        return shown

    @patch("/{employee_id:uuid}", summary="Change an employee; set end_date (last working day) to terminate")
    async def update_employee(
        self, request: Request, db: AsyncSession, employee_id: UUID, data: EmployeeUpdate
    ) -> EmployeeOut:
        employee = await Employees().get(db, employee_id, for_update=True)
        await require_keeper(db, request.user, TenantScope.of(employee.tenant_id))
        today = await tenant_today(db, employee.tenant_id)
        ring = keyring(request.app.state.settings)
        fields = {name: value for name, value in _sent(data).items() if name in employees.ROW_FIELDS}
        if data.status is not None:
            fields["on_leave"] = data.status == EmployeeStatus.ON_LEAVE.value
        changed = [name for name, value in fields.items() if getattr(employee, name) != value]
        refuse(await save_employee(
            db, ring, employee, fields, data.personal, country=await tenant_country(db, employee.tenant_id),
            today=today, replace_personal=data.personal is not None,
        ))  # fmt: skip
        if changed or data.personal is not None:
            _audit(db, request, employee, "hr.employee_updated", [*changed, *(["personal"] if data.personal else [])])
        # The answer shows the stored personal data (a keeper may see it): a read like any other, recorded.
        (shown,) = views(db, request, ring, [employee], today, unmasked=True)
        return shown

    @post(
        "/import",
        summary="Import employees from a CSV or XLSX file (the tenant's admin or hr staff)",
        description="multipart/form-data with `file` (.csv or .xlsx). The header names the fields (employee_number, "
        "name, start_date required; email, job_title, department, manager_number, contract_type, end_date, "
        "national_id, iban, salary (minor units), currency, birth_date, address). All or nothing: any row with a "
        "problem answers 422 with every row's problems in `extra.rows` and saves nothing. An employee number "
        "already on file updates that employee, so importing the same file again changes nothing.",
        request_max_body_size=MAX_FILE_BYTES + FORM_OVERHEAD_BYTES,
        status_code=HTTP_200_OK,
    )
    async def import_file(
        self,
        request: Request,
        db: AsyncSession,
        tenant_scope: TenantScope,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            message = "Send the employees as a multipart field named file (.csv or .xlsx)"
            raise InvalidEmployee(message, extra={"problems": {"file": message}})
        content = await upload.read()
        result, touched = await import_employees(
            db, keyring(request.app.state.settings), tenant.id, upload.filename or "", content,
            country=await tenant_country(db, tenant.id), today=await tenant_today(db, tenant.id),
        )  # fmt: skip
        record_event(
            db, request, tenant_id=tenant.id, action="hr.employees_imported", subject_type="hr_employee",
            changes={"filename": upload.filename, "created": result.created, "updated": result.updated,
                     "employee_ids": [str(employee_id) for employee_id in touched]},
        )  # fmt: skip
        return result
