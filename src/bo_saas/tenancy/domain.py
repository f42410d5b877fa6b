"""Tenants, their calendars and their manifests; the tenant scope every request runs in."""

from bo_saas.lib.domain import Domain, NavLink
from bo_saas.tenancy.controllers import TenantController
from bo_saas.tenancy.manifest import CALENDAR_SECTION, TENANT_SECTION

DOMAIN = Domain(
    name="tenancy",
    route_handlers=[TenantController],
    models="bo_saas.tenancy.models",
    manifest_sections=[TENANT_SECTION, CALENDAR_SECTION],
    navigation=[NavLink("tenants", "Tenants", "/console/tenants", "console", ("provider_admin",), order=50)],
)
