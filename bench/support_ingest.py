"""The support bench's ingest phase: post the planned mail, signed, with N requests in flight; then check it all.

``drive`` keeps ``concurrency`` requests in flight over one ``httpx.AsyncClient``
(keep-alive connections). A step is ready once the previous step of its
conversation has been answered; among ready steps the lowest position goes
first. Each body is signed just before it is sent (the signature's time must be
within 300 s of the server's clock). After a conversation's first message the
driver reads, as the owner, the ticket's reference and our acknowledgement's
Message-ID when a later step quotes or answers them (one indexed query).

``verify`` then reads the database as the owner and compares every message with
what the plan says: on the ticket its conversation opened, stored once, an
auto-reply opening no ticket, and no message on another tenant's ticket.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from dataclasses import dataclass, field

import httpx

from bench import support_mail as M
from bench.support_seed import DB
from bo_saas.support.signatures import signature_header

_LOOKUP = """
    SELECT t.reference,
           (SELECT m.message_id FROM support_messages m
            WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND m.kind = 'acknowledgement'
            ORDER BY m.created_at LIMIT 1) AS ack_id
    FROM support_tickets t WHERE t.tenant_id = $1 AND t.id = $2::uuid
"""


@dataclass
class IngestRun:
    messages: int = 0  # posted (answered or failed)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)  # HTTP status → answers; 0: no answer (an exception)
    not_sent: int = 0  # steps of conversations broken by an earlier failure
    wrong_answers: list[str] = field(default_factory=list)  # outcome or ticket not the one the plan expects
    failures: list[str] = field(default_factory=list)  # the first few non-202 answers, for the report

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 202) + self.not_sent


async def drive(base_url: str, conversations: list[M.Conversation], *, concurrency: int, run_tag: str) -> IngestRun:
    run = IngestRun()
    ready: list[tuple[float, int, int]] = []  # (position, conversation, step)
    for conversation in conversations:
        heapq.heappush(ready, (conversation.steps[0].position, conversation.number, 0))
    remaining = sum(len(c.steps) for c in conversations)  # steps neither answered nor given up
    wake = asyncio.Condition()
    pool = await DB.owner_pool()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while True:
            async with wake:
                await wake.wait_for(lambda: ready or remaining == 0)  # noqa: B023 (read under the lock)
                if not ready:
                    return
                _, number, index = heapq.heappop(ready)
            conversation = conversations[number]
            posted = await _send(client, pool, conversation, index, run, run_tag)
            async with wake:
                if posted and index + 1 < len(conversation.steps):
                    step = conversation.steps[index + 1]
                    heapq.heappush(ready, (step.position, number, index + 1))
                    remaining -= 1
                else:  # the last step, or the conversation broke: the rest is never sent
                    left = len(conversation.steps) - index - 1
                    run.not_sent += left
                    remaining -= 1 + left
                wake.notify_all()

    started = time.perf_counter()
    try:
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
            await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    finally:
        await pool.close()
    run.seconds = time.perf_counter() - started
    return run


async def _send(client, pool, conversation: M.Conversation, index: int, run: IngestRun, run_tag: str) -> bool:
    """Post one step; whether the conversation goes on."""
    step = conversation.steps[index]
    if step.kind == M.DUPLICATE:
        own_id, raw = conversation.sent[-1], conversation.last_raw
    else:
        own_id, raw = M.render(conversation, index, run_tag)
    step.message_id = own_id
    headers = {"Content-Type": "message/rfc822", "X-BO-Signature": signature_header(conversation.channel.secret, raw)}
    started = time.perf_counter()
    try:
        answer = await client.post(f"/api/v1/support/inbound/{conversation.channel.id}", content=raw, headers=headers)
    except httpx.HTTPError as exc:
        step.status = 0
        run.failures.append(f"conversation {conversation.number} step {index}: {exc!r}")
        conversation.broken = "no answer"
    else:
        step.status = answer.status_code
        if answer.status_code == 202:
            step.answer = answer.json()
        else:
            run.failures.append(f"conversation {conversation.number} step {index}: {answer.status_code} {answer.text}")
            conversation.broken = f"answered {answer.status_code}"
    step.seconds = time.perf_counter() - started
    run.messages += 1
    run.latencies.append(step.seconds)
    run.statuses[step.status] = run.statuses.get(step.status, 0) + 1
    if step.answer is None:
        return False
    _check_answer(conversation, index, run)
    if step.kind not in (M.AUTO, M.AUTO_IGNORED, M.DUPLICATE):
        conversation.sent.append(own_id)
        conversation.last_raw = raw
    if index == 0 and conversation.opens_ticket:
        conversation.ticket_id = step.answer["ticket_id"]
        if conversation.needs_lookup and conversation.ticket_id:
            row = await pool.fetchrow(_LOOKUP, conversation.channel.tenant_id, conversation.ticket_id)
            conversation.reference, conversation.ack_id = (row["reference"], row["ack_id"]) if row else (None, None)
            if conversation.ack_id is None:
                run.wrong_answers.append(f"conversation {conversation.number}: no acknowledgement stored to answer")
    return conversation.ticket_id is not None or not conversation.opens_ticket


def _check_answer(conversation: M.Conversation, index: int, run: IngestRun) -> None:
    step = conversation.steps[index]
    expected = M.EXPECTED_OUTCOME[step.kind]
    got = step.answer["outcome"]
    if got != expected:
        run.wrong_answers.append(
            f"conversation {conversation.number} step {index} ({step.kind}): {got}, not {expected}"
        )
    if index > 0 and step.answer["ticket_id"] != conversation.ticket_id:
        run.wrong_answers.append(
            f"conversation {conversation.number} step {index} ({step.kind}): ticket {step.answer['ticket_id']},"
            f" not {conversation.ticket_id}"
        )


# --- the database, afterwards --------------------------------------------------------------------

_INBOUND = """
    SELECT m.tenant_id::text, m.message_id, m.ticket_id::text, m.auto_submitted,
           c.address = ANY (m.to_addresses) AS to_own_channel
    FROM support_messages m
    JOIN support_tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
    JOIN support_channels c ON c.tenant_id = t.tenant_id AND c.id = t.channel_id
    WHERE m.direction = 'inbound'
"""
_TICKETS = """
    SELECT t.id::text, t.tenant_id::text, ct.email
    FROM support_tickets t JOIN support_contacts ct ON ct.tenant_id = t.tenant_id AND ct.id = t.contact_id
"""
# A message whose ticket is another tenant's (the composite keys forbid it; checked all the same).
_CROSS_TENANT = """
    SELECT count(*) FROM support_messages m JOIN support_tickets t ON t.id = m.ticket_id
    WHERE t.tenant_id <> m.tenant_id
"""


async def verify(conversations: list[M.Conversation]) -> tuple[int, list[str]]:
    """(messages checked, mismatches): every answered message against the database, as the owner."""
    pool = await DB.owner_pool(1)
    try:
        inbound = await pool.fetch(_INBOUND)
        tickets = {row["id"]: row for row in await pool.fetch(_TICKETS)}
        cross_tenant = await pool.fetchval(_CROSS_TENANT)
    finally:
        await pool.close()
    stored: dict[tuple[str, str], list] = {}
    for row in inbound:
        stored.setdefault((row["tenant_id"], row["message_id"]), []).append(row)
    problems: list[str] = []
    if cross_tenant:
        problems.append(f"{cross_tenant} messages sit on another tenant's ticket")
    problems += [f"message {r['message_id']} is on a ticket of a channel it was not sent to"
                 for r in inbound if not r["to_own_channel"]]  # fmt: skip
    expected: set[tuple[str, str]] = set()
    checked = 0
    opened: dict[str, int] = {}
    for conversation in conversations:
        tenant = str(conversation.channel.tenant_id)
        if conversation.ticket_id:
            opened[conversation.ticket_id] = opened.get(conversation.ticket_id, 0) + 1
            ticket = tickets.get(conversation.ticket_id)
            if ticket is None or ticket["tenant_id"] != tenant or ticket["email"] != conversation.customer:
                problems.append(f"conversation {conversation.number}: ticket {conversation.ticket_id} is not its own")
        for index, step in enumerate(conversation.steps):
            if step.answer is None:
                continue
            checked += 1
            key = (tenant, step.message_id)
            rows = stored.get(key, [])
            where = f"conversation {conversation.number} step {index} ({step.kind}, {step.message_id})"
            if step.kind == M.AUTO_IGNORED:
                if rows:
                    problems.append(f"{where}: stored, though it should be ignored")
                continue
            expected.add(key)
            if len(rows) != 1:
                problems.append(f"{where}: stored {len(rows)} times")
            elif rows[0]["ticket_id"] != conversation.ticket_id:
                problems.append(f"{where}: on ticket {rows[0]['ticket_id']}, not {conversation.ticket_id}")
            elif step.kind == M.AUTO and not rows[0]["auto_submitted"]:
                problems.append(f"{where}: not marked auto-submitted")
    problems += [f"conversations {count} share ticket {ticket}" for ticket, count in opened.items() if count > 1]
    if len(tickets) != len(opened):
        problems.append(f"{len(tickets)} tickets in the database, {len(opened)} conversations opened one")
    unexpected = set(stored) - expected
    if unexpected:
        problems.append(f"{len(unexpected)} inbound messages stored that the bench did not expect")
    return checked, problems
