"""The audit trail: append-only events of every tenant and of the provider."""

from bo_saas.audit.controllers import AuditEventController
from bo_saas.lib.domain import Domain, NavLink

DOMAIN = Domain(
    name="audit",
    route_handlers=[AuditEventController],
    models="bo_saas.audit.models",
    navigation=[NavLink("audit", "Audit trail", "/console/audit", "console", ("provider_admin",), order=90)],
)
