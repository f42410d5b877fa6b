"""Jobs against real servers: the test Redis and a dramatiq worker in this process."""

from __future__ import annotations

import pytest
import redis

from bo_saas.lib.settings import Settings


@pytest.fixture
def redis_client(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(settings.redis_url)
