"""Loop protection: machine-sent mail is recognised, a person's mail is not; bounces name the failed address."""

from __future__ import annotations

from pathlib import Path

import pytest

from bo_saas.support.loops import bounced_addresses, is_auto_submitted
from bo_saas.support.mail_parsing import parse_message

CORPUS = Path(__file__).parent / "corpus"
PERSON = "From: Bob <bob@example.com>\nTo: help@acme.test\nSubject: {subject}\nMessage-ID: <p1@example.com>\n"


def message(*extra_headers: str, subject: str = "Question about my invoice"):
    head = PERSON.format(subject=subject) + "".join(f"{header}\n" for header in extra_headers)
    return parse_message((head + "\nHello, a question.\n").encode())


@pytest.mark.parametrize(
    "name",
    ["gmail_reply.eml", "outlook_reply.eml", "apple_mail_reply.eml", "arabic_reply.eml", "with_attachment.eml"],
)
def test_a_persons_reply_is_not_auto_submitted(name: str):
    assert not is_auto_submitted(parse_message((CORPUS / name).read_bytes()), "acme.test")


def test_outlook_out_of_office_is_auto_submitted():
    assert is_auto_submitted(parse_message((CORPUS / "outlook_out_of_office.eml").read_bytes()))


def test_bulk_list_message_is_auto_submitted():
    assert is_auto_submitted(parse_message((CORPUS / "bulk_list.eml").read_bytes()))


def test_dsn_bounce_is_auto_submitted():
    assert is_auto_submitted(parse_message((CORPUS / "dsn_bounce.eml").read_bytes()))


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated; owner-email=x@example.com",
        "Precedence: bulk",
        "Precedence: junk",
        "Precedence: list",
        "X-Autoreply: yes",
        "X-Autorespond: Out of office",
        "X-Auto-Response-Suppress: All",
        "X-Auto-Response-Suppress: DR, OOF, AutoReply",
        "List-Id: <news.example.com>",
        "List-Unsubscribe: <mailto:u@example.com>",
        "Return-Path: <>",
    ],
)
def test_machine_marks_make_a_message_auto_submitted(header: str):
    assert is_auto_submitted(message(header))


@pytest.mark.parametrize(
    "header", ["Auto-Submitted: no", "X-Auto-Response-Suppress: DR, RN, NRN", "Precedence: first-class"]
)
def test_marks_that_a_person_may_carry_do_not_make_it_auto_submitted(header: str):
    assert not is_auto_submitted(message(header))


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.com", "postmaster@example.com"])
def test_mailer_daemon_and_postmaster_senders_are_auto_submitted(sender: str):
    raw = f"From: Mail System <{sender}>\nSubject: failure\n\nx\n".encode()
    assert is_auto_submitted(parse_message(raw))


def test_our_own_message_id_domain_coming_back_is_auto_submitted():
    raw = b"From: help@acme.test\nMessage-ID: <17400.1.2@Acme.Test>\nSubject: Re: x\n\nx\n"
    assert is_auto_submitted(parse_message(raw), our_message_id_domain="acme.test")
    assert not is_auto_submitted(parse_message(raw), our_message_id_domain="other.test")


@pytest.mark.parametrize(
    "subject", ["Out of Office: Re: invoice", "Automatic reply: invoice", "Auto: invoice", "رد تلقائي: الفاتورة"]
)
def test_out_of_office_subject_with_an_exchange_hint_is_auto_submitted(subject: str):
    assert is_auto_submitted(message("X-Auto-Response-Suppress: DR, RN", subject=subject))


@pytest.mark.parametrize(
    "subject", ["Out of Office reply is not working", "Automatic reply: can you switch it off?", "رد تلقائي لا يعمل"]
)
def test_out_of_office_subject_alone_is_a_persons_message(subject: str):
    assert not is_auto_submitted(message(subject=subject))


def test_dsn_bounce_names_the_failed_customer_address_lower_cased():
    assert bounced_addresses((CORPUS / "dsn_bounce.eml").read_bytes()) == {"gone.customer@example.org"}


@pytest.mark.parametrize(
    "name", ["gmail_reply.eml", "outlook_out_of_office.eml", "bulk_list.eml", "arabic_windows1256.eml"]
)
def test_a_message_that_is_not_a_bounce_names_no_address(name: str):
    assert bounced_addresses((CORPUS / name).read_bytes()) == set()


def test_a_delayed_dsn_is_not_a_permanent_failure():
    raw = (
        (CORPUS / "dsn_bounce.eml")
        .read_bytes()
        .replace(b"Action: failed", b"Action: delayed")
        .replace(b"Status: 5.1.1", b"Status: 4.4.1")
    )
    assert bounced_addresses(raw) == set()
