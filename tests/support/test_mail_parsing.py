"""parse_message on real-world shapes (tests/support/corpus) and on hostile or broken input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bo_saas.support.mail_parsing import (
    MAX_MESSAGE_BYTES,
    MalformedMessageError,
    MessageTooLargeError,
    parse_message,
)

CORPUS = Path(__file__).parent / "corpus"


def parsed(name: str):
    return parse_message((CORPUS / name).read_bytes())


def test_every_corpus_message_parses_with_a_sender_and_text():
    for path in sorted(CORPUS.glob("*.eml")):
        message = parse_message(path.read_bytes())
        assert "@" in message.from_address, path.name
        assert message.text.strip(), path.name
        assert message.date is None or message.date.tzinfo == UTC, path.name


def test_outlook_reply_new_text_excludes_quoted_history():
    message = parsed("outlook_reply.eml")
    assert message.new_text.startswith("Hi Sara,")
    assert "VAT line still shows 0.00 for the March items." in message.new_text
    assert "From: Acme Support" not in message.new_text
    assert "We have reissued" not in message.new_text
    assert "We have reissued" in message.text  # the whole text keeps the history


def test_outlook_reply_keeps_a_sentence_starting_with_thanks():
    # The reply library would cut at "Thanks," as a sign-off; the customer's sentence must survive.
    assert "Thanks, the corrected invoice arrived" in parsed("outlook_reply.eml").new_text


def test_outlook_reply_threading_headers_are_bare_lower_cased_ids():
    message = parsed("outlook_reply.eml")
    assert message.message_id == "am6pr05mb6021e1a7f3c0a1b2c3d4e5f6a7b8c@am6pr05mb6021.eurprd05.prod.outlook.example"
    assert message.in_reply_to == ("173950@acme.test",)
    assert message.references == ("173901@acme.test", "173950@acme.test")
    assert message.headers["thread-index"] == "AQHbjOwM7Yx6e8l3uUKP3mlFq0QY9rNiS5Gw"


def test_outlook_reply_addresses_are_lower_cased_with_the_display_name_apart():
    message = parsed("outlook_reply.eml")
    assert message.from_address == "john.carter@contoso.example"
    assert message.from_name == "John Carter"
    assert message.to == ("help@acme.test",)
    assert message.date == datetime(2025, 3, 4, 9, 12, 38, tzinfo=UTC)


def test_gmail_reply_new_text_stops_at_the_wrote_line():
    message = parsed("gmail_reply.eml")
    assert message.new_text == (
        'Hello,\n\nthe export still fails with "timeout" when I pick the whole year.\nA smaller range works.\n\nMaria'
    )


def test_gmail_html_only_reply_new_text_excludes_the_gmail_quote():
    raw = (CORPUS / "gmail_reply.eml").read_bytes()
    html_only = raw.replace(
        b'Content-Type: text/plain; charset="UTF-8"', b'Content-Type: text/x-removed; charset="UTF-8"'
    )
    message = parse_message(html_only)
    assert "the export still fails" in message.new_text
    assert "Could you tell us which date range" not in message.new_text
    assert "Could you tell us which date range" in message.text


def test_apple_mail_reply_drops_sent_from_my_iphone_and_the_quote():
    message = parsed("apple_mail_reply.eml")
    assert message.new_text == "It worked this time, thank you \U0001f64f"
    assert message.cc == ("accounts@omar-trading.example",)
    assert message.date == datetime(2025, 3, 5, 14, 20, 11, tzinfo=UTC)


def test_arabic_encoded_word_subject_and_sender_name_are_decoded():
    message = parsed("arabic_encoded_subject.eml")
    assert message.subject == "استفسار عن الفاتورة رقم 77"
    assert message.from_name == "فاطمة الزهراء"
    assert message.from_address == "fatima@example.sa"
    assert "لم تصلني الفاتورة الخاصة بشهر فبراير" in message.text


def test_arabic_windows_1256_body_and_subject_are_decoded():
    message = parsed("arabic_windows1256.eml")
    assert message.subject == "طلب استرداد المبلغ"
    assert message.from_name == "خالد"
    assert "أطلب استرداد المبلغ المدفوع مرتين في 1 مارس." in message.text
    assert "\r" not in message.text


def test_arabic_reply_new_text_excludes_the_arabic_quote_header_and_signature():
    message = parsed("arabic_reply.eml")
    assert message.new_text == "شكراً لكم، تم استلام الفاتورة.\nلكن المبلغ غير صحيح، أرجو المراجعة."
    assert message.subject == "رد: استفسار عن الفاتورة رقم 77"


def test_arabic_outlook_reply_new_text_excludes_the_arabic_field_block():
    message = parsed("arabic_outlook_reply.eml")
    assert "ما زالت المشكلة قائمة بعد التحديث" in message.new_text
    assert "الموضوع:" not in message.new_text
    assert "هل ما زالت المشكلة قائمة؟" not in message.new_text


def test_quoted_printable_latin1_body_is_decoded_with_soft_line_breaks_joined():
    message = parsed("quoted_printable_latin1.eml")
    assert message.subject == "Relevé de février"
    assert message.from_name == "Élise Martin"
    assert (
        "recevoir les factures en PDF au lieu de papier ? C'est plus pratique pour notre comptabilité" in message.text
    )


def test_base64_koi8r_body_is_decoded():
    message = parsed("base64_koi8r.eml")
    assert message.subject == "Счёт на русском"
    assert "Прошу выставить счёт на русском языке." in message.text


def test_related_inline_image_is_an_inline_attachment_the_html_refers_to_by_cid():
    message = parsed("related_inline_image.eml")
    [image] = message.attachments
    assert (image.filename, image.content_type, image.inline) == ("image001.png", "image/png", True)
    assert image.content_id == "image001.png@01DB8C2E.6A1F2B30"
    assert image.data.startswith(b"\x89PNG")
    assert f'src="cid:{image.content_id}"' in message.html
    assert message.text.startswith("This is what I see after login:")  # derived from the HTML


def test_attachment_keeps_its_rfc2231_arabic_filename_and_bytes():
    message = parsed("with_attachment.eml")
    contract = message.attachments[0]
    assert (contract.filename, contract.content_type, contract.inline) == ("عقد موقع.pdf", "application/pdf", False)
    assert contract.data.startswith(b"%PDF-1.4")
    assert message.text.strip() == "Please find the signed contract attached."


def test_attachment_filename_is_never_a_path():
    names = [attachment.filename for attachment in parsed("with_attachment.eml").attachments]
    assert names[1] == "passwd"


def test_message_without_message_id_parses_with_none_and_a_naive_date_read_as_utc():
    message = parsed("no_message_id.eml")
    assert message.message_id is None
    assert message.date == datetime(2025, 3, 11, 7, 0, tzinfo=UTC)
    assert "How do I change my billing address?" in message.new_text


def test_html_with_script_handlers_and_javascript_links_comes_out_clean():
    html = parsed("html_xss.eml").html
    lowered = html.lower()
    for forbidden in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<form", "<input",
                      "<style", "style=", "<svg", "<meta", "<object", "tracker.attacker", "secret title"):  # fmt: skip
        assert forbidden not in lowered, forbidden
    assert 'href="https://shop.example/orders/8812"' in html
    assert 'src="cid:logo@attacker.example"' in html
    assert '<p dir="rtl">شكراً</p>' in html
    assert "My order number is 8812." in parsed("html_xss.eml").text


def test_undecodable_bytes_in_a_declared_charset_are_replaced_not_raised():
    raw = (
        b"From: a@example.com\nSubject: =?utf-8?B?/w==?= x\nContent-Type: text/plain; charset=utf-8\n\n"
        b"ok \xff\xfe end\n"
    )
    message = parse_message(raw)
    assert message.text == "ok \ufffd\ufffd end\n"
    assert message.subject.endswith("x")


def test_unknown_charset_falls_back_without_an_exception():
    raw = b"From: a@example.com\nContent-Type: text/plain; charset=x-no-such-charset\n\ncaf\xe9\n"
    assert parse_message(raw).text == "caf\xe9\n"


def test_raw_utf8_in_headers_is_read_as_utf8():
    raw = "From: محمد <m@example.com>\nSubject: سؤال\n\nbody\n".encode()
    message = parse_message(raw)
    assert (message.from_name, message.subject) == ("محمد", "سؤال")


def test_message_ids_are_found_when_a_mailer_drops_the_angle_brackets():
    raw = b"From: a@example.com\nMessage-ID: ABC@Example.com\nIn-Reply-To: <X@y> (Bob's message)\n\nhi\n"
    message = parse_message(raw)
    assert message.message_id == "abc@example.com"
    assert message.in_reply_to == ("x@y",)


def test_a_message_over_the_limit_is_refused_before_parsing():
    with pytest.raises(MessageTooLargeError):
        parse_message(b"From: a@example.com\n\n" + b"x" * MAX_MESSAGE_BYTES)


@pytest.mark.parametrize("raw", [b"", b"\r\n\r\n", b"\x00\x01\x02\xff\xfe binary garbage", b"just some words\n"])
def test_input_that_is_not_mail_is_malformed(raw: bytes):
    with pytest.raises(MalformedMessageError):
        parse_message(raw)


def test_an_mbox_from_line_on_top_is_accepted():
    message = parse_message(b"From a@example.com Mon Mar  3 10:00:00 2025\nFrom: a@example.com\n\nhi\n")
    assert message.from_address == "a@example.com"
