"""The pipelined Redis connection against a real Redis: order, scripts, errors and reconnection."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from bo_saas.lib.redis_pipe import RedisPipe, Script

COUNT = Script("return redis.call('INCRBY', KEYS[1], ARGV[1])")


@pytest.fixture
async def pipe(settings):
    pipe = RedisPipe(settings.redis_url)
    yield pipe
    await pipe.close()


async def test_concurrent_commands_each_get_their_own_reply(pipe):
    keys = [f"test:pipe:{uuid.uuid4()}" for _ in range(50)]
    await asyncio.gather(*(pipe.execute("SET", key, index) for index, key in enumerate(keys)))

    replies = await asyncio.gather(*(pipe.execute("GET", key) for key in keys))

    assert replies == [str(index).encode() for index in range(50)]


async def test_a_script_runs_again_after_redis_forgot_it(pipe, settings):
    key = f"test:pipe:{uuid.uuid4()}"
    assert await pipe.run_script(COUNT, [key], [2]) == 2
    async with aioredis.Redis.from_url(settings.redis_url) as other:
        await other.script_flush()

    assert await pipe.run_script(COUNT, [key], [3]) == 5


async def test_an_error_reply_raises_and_the_next_command_still_works(pipe):
    key = f"test:pipe:{uuid.uuid4()}"
    await pipe.execute("SET", key, "not a number")

    with pytest.raises(ResponseError, match="not an integer"):
        await pipe.execute("INCR", key)
    assert await pipe.execute("GET", key) == b"not a number"


async def test_a_killed_connection_fails_what_was_waiting_and_the_next_command_reconnects(pipe, settings):
    name = f"pipe-{uuid.uuid4()}"
    await pipe.execute("CLIENT", "SETNAME", name)
    async with aioredis.Redis.from_url(settings.redis_url) as other:
        clients = await other.client_list()
        (ours,) = [client for client in clients if client["name"] == name]
        blocked = asyncio.ensure_future(pipe.execute("BLPOP", f"test:pipe:{uuid.uuid4()}", 5))
        await asyncio.sleep(0.1)
        await other.client_kill_filter(_id=ours["id"])

    with pytest.raises(RedisConnectionError):
        await blocked
    assert await pipe.execute("PING") == b"PONG"


async def test_an_unreachable_redis_is_a_connection_error():
    with pytest.raises(RedisConnectionError, match="Cannot connect"):
        await RedisPipe("redis://127.0.0.1:1/0").execute("PING")
