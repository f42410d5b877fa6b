"""Composed replies thread under the customer's message and read back as they were written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

from bo_saas.support.mail_parsing import parse_message
from bo_saas.support.outbound import MAX_REFERENCES, compose_reply, new_message_id


def reply(**overrides):
    arguments = {
        "from_name": "Acme Support",
        "from_address": "help@acme.test",
        "to": "Maria Rossi <maria@example.com>",
        "subject": "Export fails",
        "body": "Hello Maria,\n\nFixed.\n",
        "message_id": "17500.1@acme.test",
        "in_reply_to": "CAFx3aQ@mail.gmail.example",
        "references": ["171000@acme.test"],
    } | overrides
    return compose_reply(**arguments)


def test_new_message_id_is_unique_bare_and_on_the_senders_domain():
    ids = {new_message_id("Help@Acme.Test") for _ in range(100)}
    assert len(ids) == 100
    for message_id in ids:
        assert not message_id.startswith("<") and not message_id.endswith(">")
        assert message_id.endswith("@acme.test")


def test_round_trip_gives_back_message_id_in_reply_to_and_references():
    message_id = new_message_id("help@acme.test")
    parsed = parse_message(bytes(reply(message_id=message_id)))
    assert parsed.message_id == message_id.lower()
    assert parsed.in_reply_to == ("cafx3aq@mail.gmail.example",)
    assert parsed.references == ("171000@acme.test", "cafx3aq@mail.gmail.example")


def test_long_ids_stay_plain_in_the_headers_not_encoded_words():
    long_id = "CA+" + "x" * 90 + "@mail.gmail.example"
    raw = bytes(reply(in_reply_to=long_id, references=[long_id.replace("CA+", "CB+")]))
    assert b"=?utf-8?" not in raw.split(b"\n\n")[0].split(b"Subject")[0]
    parsed = parse_message(raw)
    assert parsed.in_reply_to == (long_id.lower(),)
    assert parsed.references[-1] == long_id.lower()


def test_references_keep_the_first_and_the_latest_when_trimmed():
    chain = [f"m{i}@example.com" for i in range(40)]
    parsed = parse_message(bytes(reply(references=chain, in_reply_to="m40@example.com")))
    assert len(parsed.references) == MAX_REFERENCES
    assert parsed.references[0] == "m0@example.com"
    assert parsed.references[-1] == "m40@example.com"
    assert parsed.references[1] == f"m{40 - MAX_REFERENCES + 2}@example.com"


def test_subject_gets_one_reply_prefix():
    assert parse_message(bytes(reply(subject="Export fails"))).subject == "Re: Export fails"
    assert parse_message(bytes(reply(subject="RE: Export fails"))).subject == "RE: Export fails"
    assert parse_message(bytes(reply(subject="AW: Export"))).subject == "AW: Export"
    assert parse_message(bytes(reply(subject="رد: الفاتورة"))).subject == "رد: الفاتورة"
    assert parse_message(bytes(reply(subject="Ready to go"))).subject == "Re: Ready to go"


def test_arabic_from_name_is_encoded_on_the_wire_and_decodes_back():
    raw = bytes(reply(from_name="شركة أكمي - الدعم الفني", body="مرحباً، تم الحل."))
    header_block = raw.split(b"\n\n", 1)[0]
    assert header_block.isascii()
    parsed = parse_message(raw)
    assert (parsed.from_name, parsed.from_address) == ("شركة أكمي - الدعم الفني", "help@acme.test")
    assert parsed.text.strip() == "مرحباً، تم الحل."


def test_headers_of_a_plain_reply():
    message = message_from_bytes(bytes(reply(cc=["boss@example.com", "ap@example.com"])), policy=policy.default)
    assert message["To"] == "Maria Rossi <maria@example.com>"
    assert message["Cc"] == "boss@example.com, ap@example.com"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Auto-Submitted"] is None
    assert abs(message["Date"].datetime - datetime.now(UTC)) < timedelta(minutes=1)


def test_auto_submitted_reply_carries_rfc3834_and_outlook_suppression():
    message = message_from_bytes(bytes(reply(auto_submitted=True)), policy=policy.default)
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Auto-Response-Suppress"] == "All"


def test_first_message_without_a_parent_has_no_threading_headers():
    message = message_from_bytes(bytes(reply(in_reply_to=None, references=[])), policy=policy.default)
    assert message["In-Reply-To"] is None
    assert message["References"] is None
