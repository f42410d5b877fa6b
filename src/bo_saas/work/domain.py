"""The service catalog, work items and their clocks, the queue, QA, comments and files."""

from bo_saas.lib.domain import Domain, Meter, NavLink
from bo_saas.work.attachments_controller import AttachmentController
from bo_saas.work.catalog_controller import ServiceTypeController
from bo_saas.work.controllers import WorkItemController
from bo_saas.work.desks import WORK_ITEMS_METER
from bo_saas.work.manifest import QA_SECTION, SERVICE_TYPES_SECTION
from bo_saas.work.qa_controller import QaController
from bo_saas.work.queue_controller import QueueController

CLIENTS = ("client_admin", "client_member")
STAFF = ("provider_admin", "provider_agent")

DOMAIN = Domain(
    name="work",
    route_handlers=[ServiceTypeController, WorkItemController, QueueController, QaController, AttachmentController],
    models="bo_saas.work.models",
    manifest_sections=[SERVICE_TYPES_SECTION, QA_SECTION],
    # Custom service types have no desk to meter them: one unit per item done (work.desks.item_done).
    meters=[Meter(WORK_ITEMS_METER, "item", "sum", "Items of custom service types done")],
    navigation=[
        NavLink("dashboard", "Dashboard", "/portal", "portal", CLIENTS, order=10),
        NavLink("items", "Requests", "/portal/items", "portal", CLIENTS, order=20),
        NavLink("newRequest", "New request", "/portal/items/new", "portal", CLIENTS, order=30),
        NavLink("console", "Work queue", "/console", "console", STAFF, order=10),
        NavLink("allItems", "All items", "/console/items", "console", STAFF, order=15),
        NavLink("qa", "QA reviews", "/console/qa", "console", STAFF, order=20),
    ],
)
