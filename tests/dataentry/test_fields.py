"""One validation module judges every value: each type's clean form, and a clear problem for a bad value."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from bo_saas.dataentry.definitions import FieldDefinition, SchemaDefinition
from bo_saas.dataentry.fields import check_value, check_values


def field(type: str, **settings) -> FieldDefinition:
    return FieldDefinition(name="value", type=type, **settings)


@pytest.mark.parametrize(
    ("definition", "raw", "clean"),
    [
        (field("text", length=5), "  Ann  ", "Ann"),
        (field("text", pattern=r"[A-Z]{2}\d{4}"), "AB1234", "AB1234"),
        (field("integer", min=0), "42", 42),
        (field("integer"), "١٢٣", 123),  # Arabic-Indic digits
        (field("integer"), 7.0, 7),  # as an XLSX stores it
        (field("decimal"), "12.50", "12.50"),
        (field("decimal"), "12,5", "12.5"),  # a comma alone is the decimal point
        (field("decimal", max="100"), 2.25, "2.25"),
        (field("date", min="2000-01-01"), "2026-12-05", "2026-12-05"),
        (field("date"), date(2026, 1, 31), "2026-01-31"),
        (field("boolean"), "Yes", True),
        (field("boolean"), "لا", False),
        (field("choice", choices=["Red", "Blue"]), "blue", "Blue"),
        (field("email"), "Layla@Example.com", "Layla@example.com"),
        (field("phone", country="SA"), "050 123 4567", "+966501234567"),
        (field("phone"), "+44 20 7946 0018", "+442079460018"),
        (field("iban"), "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        (field("iban", country="SA"), "SA03 8000 0000 6080 1016 7519", "SA0380000000608010167519"),
        (field("tax_id", country="DE"), "DE 136,695,976", "136695976"),
        (field("tax_id", country="SA"), "310122393500003", "310122393500003"),
        (field("national_id", country="SA"), "1000000008", "1000000008"),
        (field("national_id", country="NL"), "1112.22.333", "111222333"),
    ],
)
def test_a_good_value_comes_out_clean(definition, raw, clean):
    assert check_value(definition, raw).problem is None
    assert check_value(definition, raw).value == clean


@pytest.mark.parametrize(
    ("definition", "raw", "problem"),
    [
        (field("text", length=3), "Anne", "must be at most 3 characters"),
        (field("text", pattern=r"[A-Z]{2}\d{4}"), "ab12", "does not have the expected form"),
        (field("integer"), "4.5", "is not a whole number"),
        (field("integer"), True, "is not a whole number"),
        (field("integer", max=130), "131", "must be at most 130"),
        (field("decimal"), "1.2.3", "is not a number"),
        (field("decimal", min=0), "-0.01", "must be at least 0"),
        (field("date"), "05/12/2026", "is not a date written YYYY-MM-DD"),
        (field("date", max="2026-12-31"), "2027-01-01", "must be at most 2026-12-31"),
        (field("boolean"), "maybe", "is not yes or no"),
        (field("choice", choices=["Red", "Blue"]), "Green", "is not one of Red, Blue"),
        (field("email"), "layla@", "is not an email address"),
        (field("phone", country="SA"), "12", "is not a"),
        (field("phone"), "0501234567", "write it with its country code"),
        (field("iban"), "DE89 3704 0044 0532 0130 01", "is not a valid IBAN"),
        (field("iban", country="SA"), "DE89 3704 0044 0532 0130 00", "is not a SA IBAN"),
        (field("tax_id", country="DE"), "DE 136,695,977", "is not a valid DE tax id"),
        (field("tax_id", country="SA"), "123", "must be 15 digits"),
        (field("national_id", country="SA"), "1000000009", "check digit"),
        (field("national_id", country="NL"), "123456789", "is not a valid NL national id"),
        (field("text", required=True), "   ", "is required"),
    ],
)
def test_a_bad_value_is_kept_with_a_clear_problem(definition, raw, problem):
    checked = check_value(definition, raw)
    assert checked.problem is not None and problem in checked.problem
    assert checked.value == (None if problem == "is required" else raw)


def test_an_empty_optional_value_is_none_without_a_problem():
    assert check_value(field("integer"), "") == check_value(field("integer"), None)
    assert check_value(field("integer"), "").value is None and check_value(field("integer"), "").problem is None


def test_a_record_is_judged_field_by_field():
    schema = SchemaDefinition(
        code="people",
        name="People",
        fields=[{"name": "name", "type": "text", "required": True}, {"name": "age", "type": "integer"}],
    )
    values, problems = check_values(schema.fields, {"age": "x"})
    assert values == {"name": None, "age": "x"}
    assert problems == {"name": "is required", "age": "'x' is not a whole number"}


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ({"type": "choice"}, "choices"),
        ({"type": "tax_id"}, "country"),
        ({"type": "national_id", "country": "AQ"}, "country"),
        ({"type": "text", "min": 1}, "min"),
        ({"type": "integer", "min": 5, "max": 1}, "max"),
        ({"type": "date", "min": "soon"}, "min"),
        ({"type": "boolean", "pattern": "x"}, "pattern"),
        ({"type": "text", "pattern": "("}, "pattern"),
        ({"type": "text", "pattern": "(a+)+$"}, "pattern"),  # could take forever on "aaaa...b"
        ({"type": "colour"}, "type"),
    ],
)
def test_a_field_whose_settings_do_not_fit_its_type_is_refused_where_it_is_wrong(settings, where):
    with pytest.raises(ValidationError) as refused:
        FieldDefinition(name="value", **settings)
    assert any(where in error["loc"] for error in refused.value.errors())
