"""People, roles, sign-in and tokens, staff skills and assignments, API clients."""

from bo_saas.identity.api_clients_controller import ApiClientController
from bo_saas.identity.auth_controller import AuthController
from bo_saas.identity.manifest import USERS_SECTION
from bo_saas.identity.me_controller import MeController
from bo_saas.identity.onboarding import invite_first_admin
from bo_saas.identity.staff_controller import SkillController, StaffController
from bo_saas.identity.users_controller import UserController
from bo_saas.lib.domain import Domain, NavLink
from bo_saas.tenancy.onboarding import install_first_admin_hook


def _install() -> None:
    """Onboarding a tenant through the API invites its first admin (tenancy/onboarding.py)."""
    install_first_admin_hook(invite_first_admin)


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
    install=_install,
    navigation=[
        NavLink("users", "Users", "/portal/users", "portal", ("client_admin",), order=50),
        NavLink("apiClients", "API clients", "/portal/api-clients", "portal", ("client_admin",), order=60),
        NavLink("staff", "Staff", "/console/staff", "console", ("provider_admin",), order=60),
    ],
)
