"""Billing: versioned plans, each tenant's subscription and billing profile, usage priced per period, invoices.

Billing runs make each tenant's invoice for an ended period; invoices are paid
by card through Stripe or by bank transfer (payments.py); dunning comes later
(issue 11). This floor reads usage only through the usage
seam, SLA breaches from sla's table, and starts a tenant's subscription
through tenancy's plan-chosen hook.
"""

from bo_saas.billing.charges_controller import ChargeController
from bo_saas.billing.credit_notes_controller import CreditNoteController
from bo_saas.billing.dunning import run_dunning
from bo_saas.billing.invoices_controller import InvoiceController
from bo_saas.billing.payments_controller import (
    InvoicePaymentController,
    PaymentMethodController,
    StripeEventController,
)
from bo_saas.billing.plans_controller import PlanController
from bo_saas.billing.profile_controller import BillingProfileController
from bo_saas.billing.receivables_controller import ReceivablesController
from bo_saas.billing.runs_controller import BillingRunController
from bo_saas.billing.schedule import run_billing_schedule
from bo_saas.billing.subscription_controller import SubscriptionController
from bo_saas.billing.subscriptions import follow_plan
from bo_saas.billing.usage_controller import UsageController
from bo_saas.lib.domain import Domain, NavLink
from bo_saas.lib.sole_owner import sole_owner
from bo_saas.tenancy.plan_choice import install_plan_chosen_hook


def _install() -> None:
    """A tenant created or moved to another plan gets its subscription on that plan (tenancy/plan_choice.py)."""
    install_plan_chosen_hook(follow_plan)


DOMAIN = Domain(
    name="billing",
    route_handlers=[
        PlanController,
        SubscriptionController,
        BillingProfileController,
        UsageController,
        InvoiceController,
        InvoicePaymentController,
        PaymentMethodController,
        StripeEventController,
        ChargeController,
        CreditNoteController,
        BillingRunController,
        ReceivablesController,
    ],
    models="bo_saas.billing.models",
    task_modules=["bo_saas.billing.run_tasks"],
    install=_install,
    # One process of the fleet at a time runs each loop: the one holding its advisory lock (sole_owner.py).
    background=[sole_owner("billing.schedule", run_billing_schedule), sole_owner("billing.dunning", run_dunning)],
    navigation=[
        NavLink("billing", "Billing", "/portal/billing", "portal", ("client_admin",), order=55),
        NavLink("plans", "Plans", "/console/plans", "console", ("provider_admin",), order=55),
        NavLink("billingRuns", "Billing runs", "/console/billing/runs", "console", ("provider_admin",), order=56),
        NavLink("receivables", "Receivables", "/console/billing/receivables", "console", ("provider_admin",), order=57),
    ],
)
