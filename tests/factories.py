"""factory-boy factories for every model, one per table; persist them with ``save``.

Each factory builds a row that the database accepts as it stands; tenant-owned
rows take the tenant (and their parent's ids) as arguments, e.g.
``CommentFactory(tenant_id=t.id, work_item_id=item.id)``. A concept is built in
one place: a work item is ``WorkItemFactory`` (``tests.desk.queued_item`` and
``tests.work.helpers.work_item`` are thin uses of it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import factory
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.billing.models import (
    BillingProfile,
    BillingRun,
    CreditNote,
    CreditNoteNumberCounter,
    DunningStep,
    Invoice,
    InvoiceLanguage,
    InvoiceLine,
    InvoiceNumberCounter,
    InvoicePayment,
    InvoiceStatus,
    OneOffCharge,
    PaymentMethodKind,
    PaymentStatus,
    PlanVersion,
    StripeCustomer,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
)
from bo_saas.billing.plan_file import content_hash
from bo_saas.bookkeeping import close as book_close
from bo_saas.bookkeeping import contact_models as book_contact_models
from bo_saas.bookkeeping import document_models as book_document_models
from bo_saas.bookkeeping.models import (
    AccountStatus as LedgerAccountStatus,
)
from bo_saas.bookkeeping.models import (
    AccountType,
    BankAccount,
    BankMatch,
    Book,
    EntryStatus,
    JournalCounter,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    Period,
    PeriodStatus,
    StatementLine,
)
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Document, Keying, Record, RecordSchema, RecordStatus
from bo_saas.hr import case_models as hr_case_models
from bo_saas.hr.leave_models import LeaveRequest, LeaveType
from bo_saas.hr.models import Employee
from bo_saas.hr.payroll_models import (
    EmployeePay,
    PayComponent,
    PayrollRun,
    Payslip,
    PayslipAdjustment,
    PayslipCounter,
    PayslipDocument,
    PayslipLine,
)
from bo_saas.hr.payroll_schedule_models import PayrollSchedule
from bo_saas.identity.models import (
    Account,
    AccountStatus,
    ApiClient,
    Membership,
    RefreshToken,
    Skill,
    StaffAssignment,
    StaffProfile,
    StaffSkill,
)
from bo_saas.identity.passwords import digest, hash_password
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox_models import OutboxMessage, ProcessedMessage
from bo_saas.lib.sealed import seal
from bo_saas.lib.settings import get_settings
from bo_saas.notify.models import DeliveryStatus, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.sla.models import SlaEvent, SlaPolicy, SlaTarget
from bo_saas.support.models import (
    CsatRating,
    Direction,
    Macro,
    MessageAttachment,
    MessageKind,
    SupportChannel,
    SupportContact,
    Ticket,
    TicketCounter,
    TicketMessage,
)
from bo_saas.tenancy.models import BusinessCalendar, Plan, Tenant, TenantStatus
from bo_saas.work.models import (
    Attachment,
    Comment,
    CustomServiceType,
    Priority,
    QaReview,
    QaSampling,
    ServiceType,
    UsageRecord,
    WorkItem,
    WorkItemTransition,
    WorkState,
)

DEFAULT_PASSWORD = "correct-horse-battery"
# argon2 is slow on purpose; hash the shared test password once.
_DEFAULT_HASH = hash_password(DEFAULT_PASSWORD)


class TenantFactory(factory.Factory):
    class Meta:
        model = Tenant

    id = factory.LazyFunction(uuid4)
    slug = factory.Sequence(lambda n: f"tenant-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.title()} LLC")
    plan_code = "growth"
    timezone = "Asia/Riyadh"
    status = TenantStatus.ACTIVE
    services = factory.LazyFunction(lambda: ["data_entry", "support"])


class AccountFactory(factory.Factory):
    class Meta:
        model = Account

    id = factory.LazyFunction(uuid4)
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Sequence(lambda n: f"Person {n}")
    password_hash = _DEFAULT_HASH
    status = AccountStatus.ACTIVE
    staff_role = None
    locale = "en"
    failed_sign_ins = 0


class MembershipFactory(factory.Factory):
    class Meta:
        model = Membership

    role = Role.CLIENT_MEMBER


class PlanFactory(factory.Factory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"plan-{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())
    services = factory.LazyFunction(lambda: ["data_entry", "bookkeeping", "hr", "support"])
    custom_services = True


def _plan_definition(code: str) -> dict:
    """A plan file's definition (``PlanFile.definition()``): no meters, two seats included at 10.00."""
    return {
        "code": code, "name": code.title(), "currency": "USD", "interval": "month", "base_fee": 10000,
        "trial_days": 0, "services": ["data_entry", "support"], "custom_services": False,
        "seats": {"included": 2, "unit_price": "10.00"}, "meters": [],
        "sla_credits": {"percent_per_breach": 1, "cap_percent": 10},
    }  # fmt: skip


class PlanVersionFactory(factory.Factory):
    """A version of ``plan_code`` (give it a plan's code and a version number not taken)."""

    class Meta:
        model = PlanVersion

    id = factory.LazyFunction(uuid4)
    plan_code = "growth"
    version = factory.Sequence(lambda n: 100 + n)
    definition = factory.LazyAttribute(lambda o: _plan_definition(o.plan_code))
    currency = "USD"
    interval = "month"
    base_fee = factory.LazyAttribute(lambda o: o.definition["base_fee"])
    trial_days = 0
    seats_included = factory.LazyAttribute(lambda o: o.definition["seats"]["included"])
    seat_unit_price = factory.LazyAttribute(lambda o: o.definition["seats"]["unit_price"])
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.definition))
    created_at = factory.LazyFunction(utc_now)


class SubscriptionFactory(factory.Factory):
    """An active subscription; give it ``tenant_id`` and ``plan_version_id`` (``subscriptions.follow_plan`` is the
    way the platform starts one)."""

    class Meta:
        model = Subscription

    id = factory.LazyFunction(uuid4)
    status = SubscriptionStatus.ACTIVE
    started_at = factory.LazyFunction(utc_now)
    current_period_start = factory.LazyFunction(lambda: utc_now().replace(day=1, hour=0, minute=0, second=0))


class BillingProfileFactory(factory.Factory):
    class Meta:
        model = BillingProfile

    legal_name = "Acme Trading LLC"
    address = "1 King Fahd Road, Riyadh"
    country = "SA"
    tax_rate_bp = 1500
    invoice_language = InvoiceLanguage.EN
    billing_email = "billing@acme.example"


class BusinessCalendarFactory(factory.Factory):
    class Meta:
        model = BusinessCalendar

    weekly_hours = factory.LazyFunction(lambda: {day: ["09:00-17:00"] for day in ("sun", "mon", "tue", "wed", "thu")})
    holidays = factory.LazyFunction(list)


class SkillFactory(factory.Factory):
    class Meta:
        model = Skill

    code = factory.Sequence(lambda n: f"skill_{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())


class StaffProfileFactory(factory.Factory):
    class Meta:
        model = StaffProfile

    capacity = 5


class StaffSkillFactory(factory.Factory):
    class Meta:
        model = StaffSkill

    skill_code = "data_entry"


class StaffAssignmentFactory(factory.Factory):
    class Meta:
        model = StaffAssignment


class ApiClientFactory(factory.Factory):
    class Meta:
        model = ApiClient

    id = factory.LazyFunction(uuid4)
    name = factory.Sequence(lambda n: f"ERP {n}")
    secret_hash = factory.LazyFunction(lambda: digest(uuid4().hex))


class RefreshTokenFactory(factory.Factory):
    class Meta:
        model = RefreshToken

    id = factory.LazyFunction(uuid4)
    family_id = factory.LazyFunction(uuid4)
    token_hash = factory.LazyFunction(lambda: digest(uuid4().hex))
    issued_at = factory.LazyFunction(utc_now)
    expires_at = factory.LazyAttribute(lambda o: o.issued_at + timedelta(days=30))


class AuditEventFactory(factory.Factory):
    class Meta:
        model = AuditEvent

    id = factory.LazyFunction(uuid4)
    actor_kind = "system"
    action = "seeded"
    changes = factory.LazyFunction(dict)


class ProviderAuditEventFactory(factory.Factory):
    class Meta:
        model = ProviderAuditEvent

    id = factory.LazyFunction(uuid4)
    actor_kind = "system"
    action = "seeded"
    changes = factory.LazyFunction(dict)


class WebhookEndpointFactory(factory.Factory):
    class Meta:
        model = WebhookEndpoint

    id = factory.LazyFunction(uuid4)
    url = factory.Sequence(lambda n: f"https://hooks.example.test/{n}")
    description = ""
    events = factory.LazyFunction(list)
    secret = factory.LazyFunction(lambda: f"whsec_{uuid4().hex}")
    active = True


class WebhookDeliveryFactory(factory.Factory):
    class Meta:
        model = WebhookDelivery

    id = factory.LazyFunction(uuid4)
    event = "work_item.created"
    payload = factory.LazyFunction(dict)
    status = DeliveryStatus.PENDING
    attempts = 0


class WebhookAttemptFactory(factory.Factory):
    class Meta:
        model = WebhookAttempt

    id = factory.LazyFunction(uuid4)
    status_code = 200
    duration_ms = 5


class NotificationFactory(factory.Factory):
    class Meta:
        model = Notification

    id = factory.LazyFunction(uuid4)
    kind = "sla.warning"
    title = "Due soon"
    body = "Soon"


class SlaPolicyFactory(factory.Factory):
    class Meta:
        model = SlaPolicy

    plan_code = "growth"
    service_type = "*"
    priority = Priority.NORMAL
    first_response_minutes = 60
    resolution_minutes = 480
    warning_percent = 75


class SlaTargetFactory(factory.Factory):
    class Meta:
        model = SlaTarget

    service_type = "*"
    priority = Priority.NORMAL
    first_response_minutes = 60
    resolution_minutes = 480


class ServiceTypeFactory(factory.Factory):
    class Meta:
        model = ServiceType

    code = factory.Sequence(lambda n: f"service_{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    skill_code = "data_entry"
    form_schema = factory.LazyFunction(list)


class CustomServiceTypeFactory(factory.Factory):
    class Meta:
        model = CustomServiceType

    code = factory.Sequence(lambda n: f"custom_{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    skill_code = "data_entry"
    form_schema = factory.LazyFunction(list)


class QaSamplingFactory(factory.Factory):
    class Meta:
        model = QaSampling

    service_type = "data_entry"
    sample_percent = 10


class WorkItemFactory(factory.Factory):
    """A queued data-entry item as the API leaves it: its SLA policy fixed and both clocks running.

    ``due_in`` (not a column) puts the first-response due time that far from now
    (the resolution clock four times as far). Any column can be overridden.
    """

    class Meta:
        model = WorkItem
        exclude = ("due_in", "now")

    class Params:
        due_in = timedelta(hours=2)
        now = factory.LazyFunction(utc_now)

    id = factory.LazyFunction(uuid4)
    service_type = "data_entry"
    skill_code = factory.LazyAttribute(lambda o: o.service_type)
    title = factory.LazyAttribute(lambda o: f"{o.service_type} item")
    payload = factory.LazyFunction(dict)
    priority = Priority.NORMAL
    state = WorkState.QUEUED
    requester_id = None
    created_at = factory.LazyAttribute(lambda o: o.now)
    updated_at = factory.LazyAttribute(lambda o: o.now)
    queued_at = factory.LazyAttribute(lambda o: o.now)
    first_response_due_at = factory.LazyAttribute(lambda o: o.now + o.due_in)
    resolution_due_at = factory.LazyAttribute(lambda o: o.now + o.due_in * 4)
    resolution_running_since = factory.LazyAttribute(lambda o: o.now)
    sla_first_response_minutes = 120
    sla_resolution_minutes = 480
    sla_warning_percent = 75


class WorkItemTransitionFactory(factory.Factory):
    class Meta:
        model = WorkItemTransition

    id = factory.LazyFunction(uuid4)
    from_state = WorkState.NEW
    to_state = WorkState.QUEUED
    actor_kind = "system"


class CommentFactory(factory.Factory):
    class Meta:
        model = Comment

    id = factory.LazyFunction(uuid4)
    author_kind = "account"
    author_name = "A"
    body = "hi"
    internal = False


class AttachmentFactory(factory.Factory):
    """A file's row; put its bytes in storage under ``storage_key`` when a test downloads it."""

    class Meta:
        model = Attachment

    id = factory.LazyFunction(uuid4)
    filename = "file.pdf"
    content_type = "application/pdf"
    size_bytes = 0
    sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # of no bytes
    storage_key = factory.LazyFunction(lambda: f"test/{uuid4()}")
    uploader_kind = "account"
    internal = False


class QaReviewFactory(factory.Factory):
    class Meta:
        model = QaReview

    id = factory.LazyFunction(uuid4)
    verdict = "accept"
    reasons = factory.LazyFunction(list)


class SlaEventFactory(factory.Factory):
    class Meta:
        model = SlaEvent

    id = factory.LazyFunction(uuid4)
    clock = "first_response"
    kind = "breach"
    due_at = factory.LazyFunction(utc_now)
    recorded_at = factory.LazyAttribute(lambda o: o.due_at)
    detected_by = "sweeper"


class UsageRecordFactory(factory.Factory):
    class Meta:
        model = UsageRecord

    id = factory.LazyFunction(uuid4)
    meter = "work.items"
    quantity = 1
    idempotency_key = factory.LazyFunction(lambda: uuid4().hex)
    occurred_at = factory.LazyFunction(utc_now)


class OutboxMessageFactory(factory.Factory):
    class Meta:
        model = OutboxMessage

    message_id = factory.LazyFunction(lambda: str(uuid4()))
    queue_name = "default"
    actor_name = "send_email"
    message = factory.LazyFunction(dict)


class ProcessedMessageFactory(factory.Factory):
    class Meta:
        model = ProcessedMessage

    message_id = factory.LazyFunction(lambda: str(uuid4()))
    actor_name = "send_email"


# --- support -----------------------------------------------------------------------------------

# The secret every factory-made support channel has; sign inbound posts with it (support.signatures).
SUPPORT_CHANNEL_SECRET = "sup_test-channel-secret"


class SupportChannelFactory(factory.Factory):
    class Meta:
        model = SupportChannel

    id = factory.LazyFunction(uuid4)
    name = factory.Sequence(lambda n: f"Help desk {n}")
    address = factory.Sequence(lambda n: f"help{n}@in.example.test")
    from_name = "Acme Support"
    from_address = factory.Sequence(lambda n: f"support{n}@acme.example.test")
    signature = ""
    auto_ack = True
    # Sealed with the test settings' key (BO_SECRET_KEY), as the app seals a channel's secret.
    sealed_secret = factory.LazyFunction(lambda: seal(get_settings(), SUPPORT_CHANNEL_SECRET))


class SupportContactFactory(factory.Factory):
    class Meta:
        model = SupportContact

    id = factory.LazyFunction(uuid4)
    email = factory.Sequence(lambda n: f"customer{n}@mail.example.test")
    name = factory.Sequence(lambda n: f"Customer {n}")
    created_at = factory.LazyFunction(utc_now)


class TicketCounterFactory(factory.Factory):
    class Meta:
        model = TicketCounter

    last_number = 0


class TicketFactory(factory.Factory):
    """A ticket; give it ``tenant_id``, ``work_item_id`` (a support item), ``channel_id`` and ``contact_id``."""

    class Meta:
        model = Ticket

    id = factory.LazyFunction(uuid4)
    reference = factory.Sequence(lambda n: f"T-{900000 + n:06d}")
    subject = "Where is my order?"
    tags = factory.LazyFunction(list)
    cc = factory.LazyFunction(list)
    created_at = factory.LazyFunction(utc_now)
    updated_at = factory.LazyFunction(utc_now)


class TicketMessageFactory(factory.Factory):
    class Meta:
        model = TicketMessage

    id = factory.LazyFunction(uuid4)
    direction = Direction.INBOUND
    kind = MessageKind.CUSTOMER
    message_id = factory.LazyFunction(lambda: f"{uuid4().hex}@mail.example.test")
    references = factory.LazyFunction(list)
    from_address = "customer@mail.example.test"
    from_name = "Customer"
    to_addresses = factory.LazyFunction(list)
    cc_addresses = factory.LazyFunction(list)
    subject = "Where is my order?"
    text = "Hello, where is my order?"
    new_text = "Hello, where is my order?"
    flagged = False
    auto_submitted = False
    raw_size = 0
    created_at = factory.LazyFunction(utc_now)


class MessageAttachmentFactory(factory.Factory):
    """A message-to-file link; give it ``tenant_id``, ``message_id`` and ``attachment_id`` (an Attachment)."""

    class Meta:
        model = MessageAttachment


class MacroFactory(factory.Factory):
    class Meta:
        model = Macro

    id = factory.LazyFunction(uuid4)
    name = factory.Sequence(lambda n: f"Macro {n}")
    body = "Hello {customer_name}, about {ticket_reference}: it is on its way. {agent_name}"


class CsatRatingFactory(factory.Factory):
    class Meta:
        model = CsatRating

    id = factory.LazyFunction(uuid4)
    rating = 5
    comment = ""
    rated_at = factory.LazyFunction(utc_now)


class RecordSchemaFactory(factory.Factory):
    """A data entry record schema, version 1; give it ``tenant_id``."""

    class Meta:
        model = RecordSchema

    id = factory.LazyFunction(uuid4)
    code = factory.Sequence(lambda n: f"schema_{n}")
    version = 1
    name = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    double_key = False
    chunk_size = 50
    fields = factory.LazyFunction(lambda: [{"name": "full_name", "type": "text", "required": True}])
    created_at = factory.LazyFunction(utc_now)


class BatchFactory(factory.Factory):
    """A ready batch of one CSV row; give it ``tenant_id``, ``schema_id`` and ``schema_code``."""

    class Meta:
        model = Batch

    id = factory.LazyFunction(uuid4)
    status = BatchStatus.READY
    filename = "rows.csv"
    file_format = "csv"
    storage_key = factory.LazyAttribute(lambda o: f"{o.tenant_id}/{uuid4().hex}")
    sha256 = factory.LazyFunction(lambda: uuid4().hex * 2)
    size_bytes = 20
    encoding = "utf-8"
    delimiter = ","
    columns = factory.LazyFunction(lambda: ["full_name"])
    rows_total = 1
    rows_imported = 1
    created_at = factory.LazyFunction(utc_now)
    updated_at = factory.LazyFunction(utc_now)


class ChunkFactory(factory.Factory):
    """A batch's first chunk; give it ``tenant_id``, ``batch_id`` and ``work_item_id`` (a data_entry item)."""

    class Meta:
        model = Chunk

    id = factory.LazyFunction(uuid4)
    number = 1
    first_row = 1
    last_row = 1


class DocumentFactory(factory.Factory):
    """A one-page PDF of a documents batch; give it ``tenant_id`` and ``batch_id`` (its bytes are not stored)."""

    class Meta:
        model = Document

    id = factory.LazyFunction(uuid4)
    number = 1
    filename = "scan.pdf"
    content_type = "application/pdf"
    pages = 1
    size_bytes = 1024
    sha256 = factory.LazyFunction(lambda: uuid4().hex * 2)
    storage_key = factory.LazyAttribute(lambda o: f"{o.tenant_id}/{uuid4().hex}")
    created_at = factory.LazyFunction(utc_now)


class RecordFactory(factory.Factory):
    """A batch's first record, accepted; give it ``tenant_id`` and ``batch_id``."""

    class Meta:
        model = Record

    id = factory.LazyFunction(uuid4)
    row_number = 1
    chunk_number = 1
    status = RecordStatus.ACCEPTED
    values = factory.LazyFunction(lambda: {"full_name": "Ann Lee"})
    problems = factory.LazyFunction(dict)
    updated_at = factory.LazyFunction(utc_now)


class InvoiceFactory(factory.Factory):
    class Meta:
        model = Invoice

    id = factory.LazyFunction(uuid4)
    period = "2026-10"
    period_start = datetime(2026, 10, 1, tzinfo=UTC)
    period_end = datetime(2026, 11, 1, tzinfo=UTC)
    status = InvoiceStatus.DRAFT
    currency = "USD"
    subtotal = 99900
    tax_rate_bp = 0
    tax = 0
    total = factory.LazyAttribute(lambda o: o.subtotal + o.tax)
    amount_paid = 0
    amount_due = factory.LazyAttribute(lambda o: o.total)


class InvoiceLineFactory(factory.Factory):
    class Meta:
        model = InvoiceLine

    position = factory.Sequence(lambda n: n + 1)
    kind = "base_fee"
    description = "Growth v1 base fee"
    quantity = 1
    unit_price = "999.00"
    amount = 99900


class OneOffChargeFactory(factory.Factory):
    class Meta:
        model = OneOffCharge

    id = factory.LazyFunction(uuid4)
    period = "2026-10"
    description = "Onboarding"
    amount = 15000
    currency = "USD"


class BillingRunFactory(factory.Factory):
    class Meta:
        model = BillingRun

    id = factory.LazyFunction(uuid4)
    period = "2026-10"
    dry_run = False
    status = "finished"
    started_by = "cli"
    started_at = factory.LazyFunction(utc_now)
    failures = factory.LazyFunction(list)


class InvoiceNumberCounterFactory(factory.Factory):
    class Meta:
        model = InvoiceNumberCounter

    year = 2026
    last_number = 1


class CreditNoteFactory(factory.Factory):
    """A partial credit of 10.00 without tax; give it ``tenant_id`` and ``invoice_id`` (a finalized invoice's)."""

    class Meta:
        model = CreditNote

    id = factory.LazyFunction(uuid4)
    number = factory.Sequence(lambda n: f"CN-2026-{n + 1:06d}")
    reason = "Goodwill"
    currency = "USD"
    subtotal = 1000
    tax_rate_bp = 0
    tax = 0
    total = 1000
    full = False
    issued_at = factory.LazyFunction(utc_now)


class DunningStepFactory(factory.Factory):
    """The first reminder of an overdue invoice; give it ``tenant_id`` and ``invoice_id``."""

    class Meta:
        model = DunningStep

    id = factory.LazyFunction(uuid4)
    step = 1
    days_overdue = 1
    action = "reminder"
    outcome = "email sent to billing@acme.example"
    occurred_at = factory.LazyFunction(utc_now)


class CreditNoteNumberCounterFactory(factory.Factory):
    class Meta:
        model = CreditNoteNumberCounter

    year = 2026
    last_number = 1


class StripeCustomerFactory(factory.Factory):
    """A tenant's Stripe customer with a Visa on file; give it ``tenant_id``."""

    class Meta:
        model = StripeCustomer

    stripe_customer_id = factory.Sequence(lambda n: f"cus_test{n:06d}")
    card_payment_method_id = factory.Sequence(lambda n: f"pm_test{n:06d}")
    card_brand = "visa"
    card_last4 = "4242"
    card_exp_month = 12
    card_exp_year = 2030


class InvoicePaymentFactory(factory.Factory):
    """A card payment in flight; give it ``tenant_id`` and ``invoice_id`` (an open invoice's)."""

    class Meta:
        model = InvoicePayment

    id = factory.LazyFunction(uuid4)
    attempt = 1
    method = PaymentMethodKind.CARD
    amount = 99900
    currency = "USD"
    status = PaymentStatus.PROCESSING
    stripe_payment_intent_id = factory.Sequence(lambda n: f"pi_test{n:06d}")


class StripeEventFactory(factory.Factory):
    class Meta:
        model = StripeEvent

    id = factory.Sequence(lambda n: f"evt_test{n:06d}")
    type = "payment_intent.succeeded"
    received_at = factory.LazyFunction(utc_now)


class KeyingFactory(factory.Factory):
    """One blind pass over a record; give it ``tenant_id``, ``record_id`` and ``keyer_id``."""

    class Meta:
        model = Keying

    id = factory.LazyFunction(uuid4)
    pass_number = 1
    values = factory.LazyFunction(lambda: {"full_name": "Ann Lee"})
    keyed_at = factory.LazyFunction(utc_now)


class BookFactory(factory.Factory):
    class Meta:
        model = Book

    base_currency = "USD"
    fiscal_year_start = 1
    approval_threshold = 1_000_000
    chart = "ifrs_sme"


class LedgerAccountFactory(factory.Factory):
    class Meta:
        model = LedgerAccount

    id = factory.LazyFunction(uuid4)
    code = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"Account {n}")
    type = AccountType.ASSET
    status = LedgerAccountStatus.OPEN


class JournalEntryFactory(factory.Factory):
    """A draft entry; give it ``tenant_id``."""

    class Meta:
        model = JournalEntry

    id = factory.LazyFunction(uuid4)
    entry_date = factory.LazyFunction(lambda: utc_now().date())
    memo = "Opening balance"
    status = EntryStatus.DRAFT


class JournalLineFactory(factory.Factory):
    """A debit line of a draft entry; give it ``tenant_id``, ``entry_id`` and ``account_id``."""

    class Meta:
        model = JournalLine

    line_number = factory.Sequence(lambda n: n + 1)
    debit = 10000
    credit = 0
    description = ""


class PeriodFactory(factory.Factory):
    class Meta:
        model = Period

    id = factory.LazyFunction(uuid4)
    month = factory.LazyFunction(lambda: utc_now().date().replace(day=1))
    status = PeriodStatus.OPEN


class JournalCounterFactory(factory.Factory):
    class Meta:
        model = JournalCounter

    fiscal_year = 2026
    last_number = 0


class BankAccountFactory(factory.Factory):
    """Give it ``tenant_id`` and ``ledger_account_id`` (an asset account of the same tenant)."""

    class Meta:
        model = BankAccount

    id = factory.LazyFunction(uuid4)
    name = factory.Sequence(lambda n: f"Current account {n}")
    iban = "DE89370400440532013000"
    currency = "EUR"
    csv_mapping = None


class StatementLineFactory(factory.Factory):
    """Give it ``tenant_id`` and ``bank_account_id``."""

    class Meta:
        model = StatementLine

    id = factory.LazyFunction(uuid4)
    booked_on = factory.LazyFunction(lambda: utc_now().date())
    amount = 11900
    description = "Invoice payment"
    reference = ""
    counterparty = ""
    dedupe_key = factory.Sequence(lambda n: f"id:{n}")
    imported_at = factory.LazyFunction(utc_now)


class BankMatchFactory(factory.Factory):
    """Give it ``tenant_id``, ``statement_line_id``, ``entry_id`` and ``line_number`` (a posted line)."""

    class Meta:
        model = BankMatch

    matched_at = factory.LazyFunction(utc_now)


class BookDocumentFactory(factory.Factory):
    """A bill to book; give it ``tenant_id`` and ``work_item_id`` (a bookkeeping item). Its bytes are not stored."""

    class Meta:
        model = book_document_models.BookDocument

    id = factory.LazyFunction(uuid4)
    kind = "bill"
    filename = "bill.pdf"
    content_type = "application/pdf"
    pages = 1
    size_bytes = 1024
    sha256 = factory.LazyFunction(lambda: uuid4().hex * 2)
    storage_key = factory.LazyFunction(lambda: uuid4().hex)
    note = ""
    created_at = factory.LazyFunction(utc_now)


class PeriodCloseFactory(factory.Factory):
    """An open close with nothing ticked; give it ``tenant_id``, ``work_item_id`` and ``period_id``."""

    class Meta:
        model = book_document_models.PeriodClose

    id = factory.LazyFunction(uuid4)
    checks = factory.LazyFunction(lambda: dict.fromkeys(book_close.CHECKS))
    created_at = factory.LazyFunction(utc_now)


class EmployeeFactory(factory.Factory):
    """An employee with no personal data recorded (``hr.personal.seal_onto`` adds it); give it ``tenant_id``."""

    class Meta:
        model = Employee

    id = factory.LazyFunction(uuid4)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"Employee {n}")
    email = factory.Sequence(lambda n: f"employee{n}@example.test")
    job_title = "Accountant"
    department = "Finance"
    contract_type = "permanent"
    start_date = factory.LazyFunction(lambda: utc_now().date() - timedelta(days=365))
    on_leave = False


class HrSettingsFactory(factory.Factory):
    """Give it ``tenant_id``."""

    class Meta:
        model = hr_case_models.HrSettings

    compliance_reminder_days = 30


class ChecklistTemplateFactory(factory.Factory):
    """An onboarding template of two tasks; give it ``tenant_id``."""

    class Meta:
        model = hr_case_models.ChecklistTemplate

    id = factory.LazyFunction(uuid4)
    kind = "onboarding"
    name = factory.Sequence(lambda n: f"Onboarding {n}")
    tasks = factory.LazyFunction(
        lambda: [{"title": "Prepare the laptop", "owner": "provider", "due_days": -1},
                 {"title": "Sign the contract", "owner": "client", "due_days": 0}]
    )  # fmt: skip


class HrCaseFactory(factory.Factory):
    """Give it ``tenant_id``, ``work_item_id`` and ``employee_id``."""

    class Meta:
        model = hr_case_models.HrCase

    id = factory.LazyFunction(uuid4)
    kind = "onboarding"
    template_name = "Onboarding"
    reference_date = factory.LazyFunction(lambda: utc_now().date())


class CaseTaskFactory(factory.Factory):
    """Give it ``tenant_id`` and ``case_id``."""

    class Meta:
        model = hr_case_models.CaseTask

    id = factory.LazyFunction(uuid4)
    position = factory.Sequence(lambda n: n)
    title = "Prepare the laptop"
    owner = "provider"
    due_date = factory.LazyFunction(lambda: utc_now().date())


class EmployeeDocumentFactory(factory.Factory):
    """A work permit expiring in 60 days, no file; give it ``tenant_id`` and ``employee_id``."""

    class Meta:
        model = hr_case_models.EmployeeDocument

    id = factory.LazyFunction(uuid4)
    kind = "work_permit"
    expires_on = factory.LazyFunction(lambda: utc_now().date() + timedelta(days=60))


class ComplianceReminderFactory(factory.Factory):
    """Give it ``tenant_id``, ``document_id`` and ``expires_on``."""

    class Meta:
        model = hr_case_models.ComplianceReminder

    id = factory.LazyFunction(uuid4)
    created_at = factory.LazyFunction(utc_now)


class LeaveTypeFactory(factory.Factory):
    """Annual leave, 21 days a year granted yearly, 5 carried over; give it ``tenant_id``."""

    class Meta:
        model = LeaveType

    id = factory.LazyFunction(uuid4)
    code = factory.Sequence(lambda n: f"leave{n}")
    name = factory.Sequence(lambda n: f"Leave {n}")
    kind = "annual"
    accrual = "yearly"
    days_per_year = Decimal("21.00")
    carry_over_cap = Decimal("5.00")
    carry_over_expiry_months = 0
    allow_negative = False
    active = True


class LeaveRequestFactory(factory.Factory):
    """A pending request of one day; give it ``tenant_id``, ``employee_id`` and ``leave_type_id``."""

    class Meta:
        model = LeaveRequest

    id = factory.LazyFunction(uuid4)
    start_date = factory.LazyFunction(lambda: utc_now().date())
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    days = Decimal("1.00")
    status = "pending"


class PayComponentFactory(factory.Factory):
    """A fixed monthly earning that applies to everyone; give it ``tenant_id``."""

    class Meta:
        model = PayComponent

    id = factory.LazyFunction(uuid4)
    code = factory.Sequence(lambda n: f"allowance_{n}")
    name = "Allowance"
    kind = "earning"
    calculation = "fixed"
    amount = 10_000
    basis = factory.LazyFunction(list)
    applies_to_all = True
    hidden = False
    position = 0
    active = True


class EmployeePayFactory(factory.Factory):
    """An employee's own amount; give it ``tenant_id``, ``employee_id`` and ``component_id``."""

    class Meta:
        model = EmployeePay

    id = factory.LazyFunction(uuid4)
    amount = 20_000


class PayrollRunFactory(factory.Factory):
    """A computed draft run for November 2026; give it ``tenant_id``."""

    class Meta:
        model = PayrollRun

    id = factory.LazyFunction(uuid4)
    period = "2026-11"
    period_start = date(2026, 11, 1)
    period_end = date(2026, 11, 30)
    status = "draft"
    currency = "SAR"
    employees_total = 0
    employees_done = 0
    documents_total = 0
    documents_done = 0


class PayslipFactory(factory.Factory):
    """A draft payslip; give it ``tenant_id``, ``run_id`` and ``employee_id``."""

    class Meta:
        model = Payslip

    id = factory.LazyFunction(uuid4)
    employee_number = "E001"
    employee_name = "Noura Saleh"
    days_paid = 30
    days_in_period = 30
    gross = 1_000_000
    deductions = 0
    net = 1_000_000
    employer_cost = 0


class PayslipLineFactory(factory.Factory):
    """The basic salary line; give it ``tenant_id`` and ``payslip_id``."""

    class Meta:
        model = PayslipLine

    id = factory.LazyFunction(uuid4)
    position = 0
    code = "base"
    name = "Basic salary"
    kind = "earning"
    amount = 1_000_000
    hidden = False
    adjusted = False


class PayslipAdjustmentFactory(factory.Factory):
    """An overtime earning; give it ``tenant_id``, ``run_id`` and ``employee_id``."""

    class Meta:
        model = PayslipAdjustment

    id = factory.LazyFunction(uuid4)
    kind = "earning"
    description = "Overtime"
    amount = 10_000


class PayslipDocumentFactory(factory.Factory):
    """An English document; give it ``tenant_id`` and ``payslip_id``."""

    class Meta:
        model = PayslipDocument

    language = "en"
    content = b"%PDF-1.4 walk"


class PayslipCounterFactory(factory.Factory):
    """Give it ``tenant_id``."""

    class Meta:
        model = PayslipCounter

    year = 2026
    last = 0


class PayrollScheduleFactory(factory.Factory):
    """The draft run prepared on the 25th of each month; give it ``tenant_id``."""

    class Meta:
        model = PayrollSchedule

    day = 25
    enabled = True
    last_period = None


async def save(session: AsyncSession, *rows) -> None:
    session.add_all(rows)
    await session.commit()


async def client_user(session: AsyncSession, tenant: Tenant, role: Role = Role.CLIENT_ADMIN, **account) -> Account:
    person = AccountFactory(**account)
    session.add(person)
    await session.flush()
    await save(session, MembershipFactory(tenant_id=tenant.id, account_id=person.id, role=role))
    return person


async def staff_user(
    session: AsyncSession, role: Role = Role.PROVIDER_AGENT, tenants: tuple[Tenant, ...] = (), **account
) -> Account:
    person = AccountFactory(staff_role=role, **account)
    session.add(person)
    await session.flush()
    session.add(StaffProfile(account_id=person.id, capacity=5))
    await session.flush()
    await save(session, *(StaffAssignment(tenant_id=t.id, account_id=person.id) for t in tenants))
    return person


class BookContactFactory(factory.Factory):
    """A customer; give it ``tenant_id``."""

    class Meta:
        model = book_contact_models.Contact

    id = factory.LazyFunction(uuid4)
    kind = book_contact_models.ContactKind.CUSTOMER
    name = factory.Sequence(lambda n: f"Customer {n}")
    payment_terms_days = 30


class BookOpenItemFactory(factory.Factory):
    """An invoice; give it ``tenant_id``, ``contact_id`` and ``entry_id`` (its journal entry)."""

    class Meta:
        model = book_contact_models.OpenItem

    id = factory.LazyFunction(uuid4)
    kind = book_contact_models.OpenItemKind.INVOICE
    number = factory.Sequence(lambda n: f"INV-{n:05d}")
    issue_date = factory.LazyFunction(lambda: utc_now().date())
    due_date = factory.LazyFunction(lambda: utc_now().date() + timedelta(days=30))
    description = ""
    amount = 10000
    created_at = factory.LazyFunction(utc_now)


class BookPaymentFactory(factory.Factory):
    """A payment received; give it ``tenant_id``, ``contact_id``, ``account_id`` and ``entry_id``."""

    class Meta:
        model = book_contact_models.Payment

    id = factory.LazyFunction(uuid4)
    kind = book_contact_models.PaymentKind.RECEIVED
    payment_date = factory.LazyFunction(lambda: utc_now().date())
    amount = 10000
    reference = ""
    created_at = factory.LazyFunction(utc_now)


class BookAllocationFactory(factory.Factory):
    """Give it ``tenant_id``, ``payment_id`` and ``open_item_id`` (same contact, same side)."""

    class Meta:
        model = book_contact_models.Allocation

    amount = 10000


class BookPeriodBalanceFactory(factory.Factory):
    """Written by the database's trigger in the app; give it ``tenant_id`` and ``account_id`` (owner only)."""

    class Meta:
        model = book_contact_models.PeriodBalance

    month = factory.LazyFunction(lambda: utc_now().date().replace(day=1))
    debit = 0
    credit = 0
