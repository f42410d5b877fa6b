"""The support bench's mail plan and messages, as pure functions: no database, no server."""

from __future__ import annotations

from collections import Counter
from email import message_from_bytes
from email.policy import default

from bench import support_mail as M
from bench.support_seed import channel_of

CHANNELS = [channel_of(n, f"secret-{n}") for n in range(1, 5)]


def test_the_plan_has_the_issues_mix_and_one_customer_per_conversation() -> None:
    conversations = M.plan(CHANNELS, 10_000)
    kinds = Counter(step.kind for c in conversations for step in c.steps)
    assert sum(kinds.values()) == 10_000
    assert kinds[M.NEW] == 3_000
    assert kinds[M.REFERENCE] == kinds[M.DUPLICATE] == 500
    assert kinds[M.AUTO] + kinds[M.AUTO_IGNORED] == 100
    assert len({c.customer for c in conversations}) == len(conversations)
    assert len({c.subject for c in conversations if c.opens_ticket}) == kinds[M.NEW]
    for conversation in conversations:  # a conversation starts with its first message, in position order
        assert conversation.steps[0].kind in (M.NEW, M.AUTO_IGNORED)
        positions = [step.position for step in conversation.steps]
        assert positions == sorted(positions)


def test_a_reply_to_our_acknowledgement_threads_by_it_and_a_reference_only_by_the_subject() -> None:
    conversation = M.Conversation(
        number=7, channel=CHANNELS[0], customer="c7@example.test", name="C 7", subject="Order 7",
        steps=[M.Step(M.NEW, 0.1), M.Step(M.REPLY, 0.2, "ours"), M.Step(M.REFERENCE, 0.3)],
        reference="T-000042", ack_id="ack.1@t1.support.bench.example", sent=["first@mail7.bench.example"],
    )  # fmt: skip
    _, raw = M.render(conversation, 1, "run")
    reply = message_from_bytes(raw, policy=default)
    assert reply["In-Reply-To"] == "<ack.1@t1.support.bench.example>"
    assert reply["References"] == "<first@mail7.bench.example> <ack.1@t1.support.bench.example>"
    assert reply["To"] == CHANNELS[0].address
    _, raw = M.render(conversation, 2, "run")
    quoting = message_from_bytes(raw, policy=default)
    assert "[T-000042]" in quoting["Subject"]
    assert quoting["In-Reply-To"] is None and quoting["References"] is None
