"""Email, in-app notifications and the tenant's signed outbound webhooks."""

from bo_saas.lib.domain import Domain
from bo_saas.notify.notifications_controller import NotificationController
from bo_saas.notify.retention import run_webhook_retention
from bo_saas.notify.webhooks_controller import WebhookController

DOMAIN = Domain(
    name="notify",
    route_handlers=[WebhookController, NotificationController],
    models="bo_saas.notify.models",
    # The email job itself lives in lib (every floor sends mail); the worker loads it with the core.
    task_modules=["bo_saas.notify.webhook_tasks"],
    # Delivered webhook deliveries (and their attempts) are purged after BO_RETENTION_DAYS.
    background=[run_webhook_retention],
)
