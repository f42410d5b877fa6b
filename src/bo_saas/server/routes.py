"""Every domain's HTTP routes, in one list the app and the isolation walker share."""

from bo_saas.audit.controllers import AuditEventController
from bo_saas.identity.api_clients_controller import ApiClientController
from bo_saas.identity.auth_controller import AuthController
from bo_saas.identity.me_controller import MeController
from bo_saas.identity.staff_controller import SkillController, StaffController
from bo_saas.identity.users_controller import UserController
from bo_saas.notify.notifications_controller import NotificationController
from bo_saas.notify.webhooks_controller import WebhookController
from bo_saas.sla.controllers import CalendarController, SlaEventController, SlaPolicyController
from bo_saas.sla.reports_controller import SlaReportController
from bo_saas.tenancy.controllers import TenantController
from bo_saas.work.attachments_controller import AttachmentController
from bo_saas.work.catalog_controller import ServiceTypeController
from bo_saas.work.controllers import WorkItemController
from bo_saas.work.qa_controller import QaController
from bo_saas.work.queue_controller import QueueController

ROUTE_HANDLERS = [
    AuthController,
    MeController,
    UserController,
    StaffController,
    SkillController,
    ApiClientController,
    TenantController,
    AuditEventController,
    WebhookController,
    NotificationController,
    ServiceTypeController,
    WorkItemController,
    QueueController,
    QaController,
    SlaPolicyController,
    CalendarController,
    SlaEventController,
    SlaReportController,
    AttachmentController,
]
