"""A tiny desk used only by the tests: proof that a desk is one folder plus one line in the registry.

Not shipped: ``server.registry.DOMAIN_MODULES`` does not name it; the tests build
their app with ``registry(["tests.testdesk.domain"])``, and its table comes from
its own Alembic branch in ``migrations/`` (applied to the test database only).
"""
