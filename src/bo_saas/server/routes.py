"""Every domain's HTTP routes, in one list the app and the isolation walker share."""

from bo_saas.audit.controllers import AuditEventController
from bo_saas.identity.controllers import (
    ApiClientController,
    AuthController,
    MeController,
    StaffController,
    UserController,
)
from bo_saas.tenancy.controllers import TenantController

ROUTE_HANDLERS = [
    AuthController,
    MeController,
    UserController,
    StaffController,
    ApiClientController,
    TenantController,
    AuditEventController,
]
