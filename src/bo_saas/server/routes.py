"""Every domain's HTTP routes, in one list the app and the isolation walker share."""

from bo_saas.audit.controllers import AuditEventController
from bo_saas.identity.api_clients_controller import ApiClientController
from bo_saas.identity.auth_controller import AuthController
from bo_saas.identity.me_controller import MeController
from bo_saas.identity.staff_controller import SkillController, StaffController
from bo_saas.identity.users_controller import UserController
from bo_saas.tenancy.controllers import TenantController

ROUTE_HANDLERS = [
    AuthController,
    MeController,
    UserController,
    StaffController,
    SkillController,
    ApiClientController,
    TenantController,
    AuditEventController,
]
