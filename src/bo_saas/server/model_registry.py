"""Import every domain's models so the metadata is complete (Alembic, tests)."""


def import_all_models() -> None:
    from bo_saas.audit import models as _audit  # noqa: F401
    from bo_saas.identity import models as _identity  # noqa: F401
    from bo_saas.lib import outbox_models as _outbox  # noqa: F401
    from bo_saas.notify import models as _notify  # noqa: F401
    from bo_saas.sla import models as _sla  # noqa: F401
    from bo_saas.tenancy import models as _tenancy  # noqa: F401
    from bo_saas.work import models as _work  # noqa: F401
