"""The HR desk: a tenant's employees, their personal data encrypted at rest and shown only to who may see it.

This slice keeps employee records (with import from CSV/XLSX); checklists,
leave, payroll and the ``[hr]`` manifest section come with the next slices, as
do the screens. The ``hr.employees`` meter is declared here; payroll records it.
"""

from __future__ import annotations

from bo_saas.hr.employees_controller import EmployeeController
from bo_saas.lib.domain import Domain, Meter

DOMAIN = Domain(
    name="hr",
    route_handlers=[EmployeeController],
    models="bo_saas.hr.models",
    meters=[Meter("hr.employees", "employee", "max", "Active employees in the period (the most at any time)")],
)
