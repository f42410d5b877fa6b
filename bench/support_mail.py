"""The mail the support bench posts: a planned mix of conversations, and each message's raw bytes.

A plan of N messages (10,000 by default), drawn from a fixed random seed:

- 30% open a conversation: a new customer (one address per conversation, so
  the "3 acknowledgements an hour" guard never binds) writes with a subject of
  its own (so the same-subject rule never joins two conversations);
- 5% quote the ticket's reference only (``[T-000123]`` in a new subject, no
  In-Reply-To, no References);
- 5% are duplicates: the conversation's latest customer message posted again,
  byte for byte (freshly signed, as a mail service's redelivery is);
- 1% are auto-replies (``Auto-Submitted: auto-replied``): half answer our
  acknowledgement (they thread, and must open nothing and move nothing), half
  come from an unknown sender with no threading headers (ignored, no ticket);
- the rest are replies threading by headers: In-Reply-To the customer's
  previous message (with References the whole chain), In-Reply-To the
  customer's first message, In-Reply-To our acknowledgement, or References only.

Every extra message belongs to a conversation drawn at random, so
conversations are 1 to a dozen messages long. Each step has a position (the
conversation's start, then random gaps); the driver sends, in position order,
the steps whose previous step in the conversation has been answered, so a
reply never overtakes what it answers, and the mix stays spread over the run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from email.utils import formatdate

from bench.support_seed import Channel

NEW, REPLY, REFERENCE, DUPLICATE, AUTO, AUTO_IGNORED = "new", "reply", "reference", "duplicate", "auto", "auto-ignored"
SHARES = {NEW: 0.30, REFERENCE: 0.05, DUPLICATE: 0.05, AUTO: 0.01}  # replies: the rest
# How a reply threads: In-Reply-To the previous / the first customer message / our acknowledgement, or References only.
REPLY_WAYS = (("previous", 0.50), ("first", 0.15), ("ours", 0.15), ("references-only", 0.20))
# The outcome the inbound endpoint must answer for each kind.
EXPECTED_OUTCOME = {
    NEW: "created",
    REPLY: "appended",
    REFERENCE: "appended",
    DUPLICATE: "duplicate",
    AUTO: "appended",
    AUTO_IGNORED: "ignored",
}


@dataclass
class Step:
    kind: str
    position: float
    way: str = ""  # for a reply: one of REPLY_WAYS
    # What happened, filled in by the driver.
    message_id: str | None = None  # the Message-ID it carried (a duplicate: its original's)
    status: int | None = None
    answer: dict | None = None
    seconds: float = 0.0


@dataclass
class Conversation:
    number: int
    channel: Channel
    customer: str
    name: str
    subject: str
    steps: list[Step]
    ticket_id: str | None = None  # from the answer to the first message
    reference: str | None = None  # "T-000123", looked up once the ticket exists (when a step needs it)
    ack_id: str | None = None  # our acknowledgement's Message-ID, likewise
    sent: list[str] = field(default_factory=list)  # the customer's Message-IDs so far, oldest first
    last_raw: bytes | None = None  # the latest customer message, for a duplicate
    broken: str | None = None  # why the rest of the conversation was not sent

    @property
    def opens_ticket(self) -> bool:
        return self.steps[0].kind == NEW

    @property
    def needs_lookup(self) -> bool:
        """Whether a later step quotes the reference or answers our acknowledgement."""
        return any(s.kind in (REFERENCE, AUTO) or s.way == "ours" for s in self.steps)


def plan(channels: list[Channel], messages: int, seed: int = 20261206) -> list[Conversation]:
    rng = random.Random(seed)
    counts = {kind: round(messages * share) for kind, share in SHARES.items()}
    ignored = counts[AUTO] // 2
    counts[AUTO] -= ignored
    counts[REPLY] = messages - sum(counts.values()) - ignored
    conversations = [
        Conversation(
            number=n,
            channel=channels[n % len(channels)],
            customer=f"customer{n}@mail{n % 89}.bench.example",
            name=f"Customer {n}",
            subject=f"Order {100000 + n}: question {rng.choice(('about delivery', 'about a refund', 'on billing'))}",
            steps=[Step(NEW, rng.random())],
        )
        for n in range(counts[NEW])
    ]
    extra = [kind for kind in (REPLY, REFERENCE, DUPLICATE, AUTO) for _ in range(counts[kind])]
    rng.shuffle(extra)
    for kind in extra:
        conversation = conversations[rng.randrange(len(conversations))]
        way = rng.choices([w for w, _ in REPLY_WAYS], [s for _, s in REPLY_WAYS])[0] if kind == REPLY else ""
        gap = rng.expovariate(1 / 0.05)
        conversation.steps.append(Step(kind, conversation.steps[-1].position + gap, way))
    for n in range(ignored):  # out-of-office answers from strangers: no conversation of ours
        number = len(conversations)
        conversations.append(
            Conversation(
                number=number,
                channel=channels[n % len(channels)],
                customer=f"noreply{n}@vacation.bench.example",
                name="Vacation Responder",
                subject="Automatic reply: I am out of the office",
                steps=[Step(AUTO_IGNORED, rng.random())],
            )
        )
    return conversations


def message_id(conversation: Conversation, index: int, run_tag: str) -> str:
    return f"{run_tag}.{conversation.number}.{index}@mail{conversation.number % 89}.bench.example"


def render(conversation: Conversation, index: int, run_tag: str) -> tuple[str, bytes]:
    """(Message-ID, raw bytes) of step ``index`` (not a duplicate: that one resends ``last_raw``)."""
    step = conversation.steps[index]
    own_id = message_id(conversation, index, run_tag)
    subject = conversation.subject
    in_reply_to: str | None = None
    references: list[str] = []
    extra_headers: list[str] = []
    body = f"Hello,\n\nThis is message {index + 1} about my order {conversation.number}. Could you look into it?\n"
    if step.kind == REPLY:
        subject = f"Re: {subject}"
        chain = list(conversation.sent)
        if step.way == "previous":
            in_reply_to = conversation.sent[-1]
        elif step.way == "first":
            in_reply_to = conversation.sent[0]
        elif step.way == "ours" and conversation.ack_id:
            in_reply_to = conversation.ack_id
            chain.append(conversation.ack_id)
        elif conversation.ack_id:  # references only, ours among them
            chain.append(conversation.ack_id)
        references = chain
        body += (
            f"\nOn {formatdate(usegmt=True)}, Support wrote:\n> Thank you for writing to us.\n> We will answer soon.\n"
        )
    elif step.kind == REFERENCE:
        subject = f"One more thing about order {conversation.number}, delivery address [{conversation.reference}]"
    elif step.kind in (AUTO, AUTO_IGNORED):
        subject = f"Automatic reply: {conversation.subject}" if step.kind == AUTO else conversation.subject
        extra_headers = ["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"]
        body = "I am out of the office until Monday and will read your message when I am back.\n"
        if step.kind == AUTO and conversation.ack_id:
            in_reply_to = conversation.ack_id
            references = [conversation.ack_id]
    lines = [
        f"From: {conversation.name} <{conversation.customer}>",
        f"To: {conversation.channel.address}",
        f"Subject: {subject}",
        f"Date: {formatdate(usegmt=True)}",
        f"Message-ID: <{own_id}>",
    ]
    if in_reply_to:
        lines.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        lines.append("References: " + " ".join(f"<{ref}>" for ref in references))
    lines += extra_headers
    lines += ["MIME-Version: 1.0", 'Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    return own_id, raw
