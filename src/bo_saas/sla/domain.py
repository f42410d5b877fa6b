"""SLA policies and contract targets, breach detection, the SLA board and monthly reports."""

from bo_saas.lib.domain import Domain, NavLink
from bo_saas.sla.controllers import CalendarController, SlaEventController, SlaPolicyController
from bo_saas.sla.detection import arm_started_clocks, arm_timers, run_sla_sweeper
from bo_saas.sla.manifest import SLA_SECTION
from bo_saas.sla.policies import targets_for
from bo_saas.sla.reports_controller import SlaReportController
from bo_saas.work.lifecycle import SlaHooks, install_sla_hooks

CLIENTS = ("client_admin", "client_member")
STAFF = ("provider_admin", "provider_agent")


def _install() -> None:
    """Give work's items their targets and their breach timers."""
    install_sla_hooks(
        SlaHooks(targets_for=targets_for, due_times_changed=arm_timers, clocks_started=arm_started_clocks)
    )


async def _sweep(engine, settings) -> None:
    await run_sla_sweeper(engine, settings.sla_sweep_seconds)


DOMAIN = Domain(
    name="sla",
    route_handlers=[SlaPolicyController, CalendarController, SlaEventController, SlaReportController],
    models="bo_saas.sla.models",
    manifest_sections=[SLA_SECTION],
    task_modules=["bo_saas.sla.detection"],
    install=_install,
    background=[_sweep],
    navigation=[
        NavLink("reports", "SLA report", "/portal/reports", "portal", CLIENTS, order=40),
        NavLink("slaBoard", "SLA board", "/console/sla-board", "console", STAFF, order=30),
        NavLink("reports", "SLA report", "/console/reports", "console", STAFF, order=40),
        NavLink("slaPolicies", "SLA policies", "/console/sla-policies", "console", ("provider_admin",), order=70),
        NavLink("calendars", "Calendars", "/console/calendars", "console", ("provider_admin",), order=80),
    ],
)
