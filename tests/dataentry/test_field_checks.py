"""Compiled field checks judge exactly as the library rules do, however a value reaches them."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email

from bo_saas.dataentry.definitions import SchemaDefinition
from bo_saas.dataentry.emails import normalized_email
from bo_saas.dataentry.fields import FieldChecks, check_values

ADDRESSES = [
    "Layla@Example.com", "first.last+tag@Sub.Example.co.uk", "a!#$%&'*+/=?^_`{|}~-@example.com",
    "Postmaster@Example.com", "ABUSE@example.com", '"a b"@example.com', "ü@example.com", "x@bücher.de",
    "x@xn--bcher-kva.de", "layla@", "@example.com", "a@b", "a..b@example.com", ".a@example.com", "a.@example.com",
    "x@localhost", "x@example.test", "x@-example.com", "x@exa_mple.com", "x@[1.2.3.4]", "a@b@example.com",
    "Name <a@example.com>", "a@example.com.", "a@example..com", "a@example.123", "a b@example.com",
    "a" * 64 + "@example.com", "a" * 65 + "@example.com", "a@" + "b" * 64 + ".com",
    "x" * 60 + "@" + ".".join(["b" * 60] * 3) + ".com", "x" * 10 + "@" + ".".join(["b" * 60] * 3) + ".com",
]  # fmt: skip


def _library(text: str) -> tuple[str | None, str | None]:
    try:
        return validate_email(text, check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, str(exc)


def _ours(text: str) -> tuple[str | None, str | None]:
    try:
        return normalized_email(text), None
    except EmailNotValidError as exc:
        return None, str(exc)


@pytest.mark.parametrize("text", ADDRESSES)
def test_an_address_is_judged_as_email_validator_judges_it_whether_its_domain_is_remembered_or_not(text):
    assert _ours(text) == _library(text)
    assert _ours(text) == _library(text)  # the second time, the domain's verdict is remembered


def test_a_file_row_is_judged_as_the_same_values_by_name():
    schema = SchemaDefinition(
        code="people",
        name="People",
        fields=[
            {"name": "name", "type": "text", "required": True},
            {"name": "age", "type": "integer", "max": 130},
            {"name": "email", "type": "email"},
        ],
    )
    checks = FieldChecks(schema.fields)
    columns = ["email", None, "age", "name"]
    for row in (["A@Example.com", "ignored", "200", ""], ["bad@", "x", "42", "Ann"], ["a@example.com"]):
        by_name = {name: cell for name, cell in zip(columns, row, strict=False) if name is not None}
        assert checks.check_row(row, columns) == check_values(schema.fields, by_name)
    assert checks.check_row(["a@example.com"], columns) == (
        {"name": None, "age": None, "email": "a@example.com"},
        {"name": "is required"},
    )
