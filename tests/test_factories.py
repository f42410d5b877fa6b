"""Every model has a factory, and what the factories build the database accepts as it stands."""

from __future__ import annotations

import inspect

from sqlalchemy import select

import tests.factories as factories
from bo_saas.lib.caller import Role
from bo_saas.lib.models import Base
from bo_saas.server.registry import load
from tests.factories import save


def test_every_model_has_a_factory():
    load().import_models()
    built = {
        member._meta.model
        for member in vars(factories).values()
        if inspect.isclass(member) and issubclass(member, factories.factory.Factory) and member._meta.model
    }
    shipped = {mapper.class_ for mapper in Base.registry.mappers if mapper.class_.__module__.startswith("bo_saas.")}
    missing = sorted(model.__name__ for model in shipped - built)
    assert not missing, f"models without a factory in tests/factories.py: {missing}"


async def test_the_factories_build_rows_the_database_accepts(admin_session):
    f = factories
    plan = f.PlanFactory()
    tenant = f.TenantFactory(plan_code=plan.code)
    skill = f.SkillFactory()
    await save(admin_session, plan, skill)
    await save(admin_session, tenant)
    person = await f.client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    agent = await f.staff_user(admin_session, tenants=(tenant,))
    reviewer = await f.staff_user(admin_session, tenants=(tenant,))
    t = {"tenant_id": tenant.id}
    item = f.WorkItemFactory(**t, requester_id=person.id, assignee_id=agent.id)
    endpoint = f.WebhookEndpointFactory(**t)
    await save(
        admin_session,
        item,
        endpoint,
        f.BusinessCalendarFactory(**t),
        f.StaffSkillFactory(account_id=agent.id, skill_code=skill.code),
        f.ApiClientFactory(**t),
        f.RefreshTokenFactory(account_id=person.id),
        f.AuditEventFactory(**t),
        f.ProviderAuditEventFactory(),
        f.NotificationFactory(**t, recipient_id=person.id),
        f.SlaPolicyFactory(plan_code=plan.code),
        f.SlaTargetFactory(**t),
        f.ServiceTypeFactory(skill_code=skill.code),
        f.CustomServiceTypeFactory(**t, skill_code=skill.code),
        f.QaSamplingFactory(**t),
        f.OutboxMessageFactory(),
        f.ProcessedMessageFactory(),
        f.BillingProfileFactory(**t),
        f.PayrollScheduleFactory(**t),
    )
    version = f.PlanVersionFactory(plan_code=plan.code)
    await save(admin_session, version)
    await save(admin_session, f.SubscriptionFactory(**t, plan_version_id=version.id))
    delivery = f.WebhookDeliveryFactory(**t, endpoint_id=endpoint.id)
    on_item = {**t, "work_item_id": item.id}
    await save(
        admin_session,
        delivery,
        f.WorkItemTransitionFactory(**on_item),
        f.CommentFactory(**on_item),
        f.AttachmentFactory(**on_item),
        f.QaReviewFactory(**on_item, agent_id=agent.id, reviewer_id=reviewer.id),
        f.SlaEventFactory(**on_item),
        f.UsageRecordFactory(**t, work_item_id=item.id),
    )
    await save(admin_session, f.WebhookAttemptFactory(**t, delivery_id=delivery.id))
    schema = f.RecordSchemaFactory(**t)
    await save(admin_session, schema)
    batch = f.BatchFactory(**t, schema_id=schema.id, schema_code=schema.code)
    await save(admin_session, batch)
    await save(
        admin_session,
        f.ChunkFactory(**t, batch_id=batch.id, work_item_id=item.id),
        f.RecordFactory(**t, batch_id=batch.id),
    )
    assert (await admin_session.scalars(select(f.WorkItem.id))).all() == [item.id]
