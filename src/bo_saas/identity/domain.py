"""People, roles, sign-in and tokens, staff skills and assignments, API clients."""

from bo_saas.identity.api_clients_controller import ApiClientController
from bo_saas.identity.auth_controller import AuthController
from bo_saas.identity.manifest import USERS_SECTION
from bo_saas.identity.me_controller import MeController
from bo_saas.identity.staff_controller import SkillController, StaffController
from bo_saas.identity.users_controller import UserController
from bo_saas.lib.domain import Domain, NavLink

DOMAIN = Domain(
    name="identity",
    route_handlers=[
        AuthController,
        MeController,
        UserController,
        StaffController,
        SkillController,
        ApiClientController,
    ],
    models="bo_saas.identity.models",
    manifest_sections=[USERS_SECTION],
    navigation=[
        NavLink("users", "Users", "/portal/users", "portal", ("client_admin",), order=50),
        NavLink("apiClients", "API clients", "/portal/api-clients", "portal", ("client_admin",), order=60),
        NavLink("staff", "Staff", "/console/staff", "console", ("provider_admin",), order=60),
    ],
)
