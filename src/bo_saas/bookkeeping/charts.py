"""Chart-of-accounts templates: reviewed TOML files in ``charts/``, read once and validated as a whole.

A template names its accounts (code, name, type, group) and may extend another
template (``extends``), adding accounts to it: the VAT chart is the general
chart plus the VAT accounts. A book opens every account of its chart that it
does not have yet, so applying a chart again, or switching to a chart that
extends the current one, only ever adds accounts.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from bo_saas.bookkeeping.errors import InvalidChart
from bo_saas.bookkeeping.models import ACCOUNT_CODE, ACCOUNT_GROUP, AccountType

DEFAULT_CHART = "ifrs_sme"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


class ChartAccount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, AfterValidator(_not_blank)]
    name: Annotated[str, AfterValidator(_not_blank)]
    type: AccountType
    group: str | None = None


class VatAccounts(BaseModel):
    """Which of a chart's accounts hold VAT: what the VAT return reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: tuple[str, ...]  # VAT paid on purchases, to reclaim (assets)
    output: tuple[str, ...]  # VAT charged on sales, owed (liabilities)


class ChartFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    extends: str | None = None
    vat: VatAccounts | None = None
    accounts: tuple[ChartAccount, ...]


class Chart(BaseModel):
    """A template with its ``extends`` resolved: every account a book on it opens, in code order."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    accounts: tuple[ChartAccount, ...]
    vat: VatAccounts | None = None  # its own, or the nearest template's it extends


def _problems(chart: ChartFile) -> list[str]:
    problems = []
    seen: set[str] = set()
    for index, account in enumerate(chart.accounts):
        where = f"accounts[{index}]"
        if len(account.code) > ACCOUNT_CODE or not re.match(CODE_PATTERN, account.code):
            problems.append(f"{where}.code: {account.code!r} is not an account code (letters, digits, . _ -)")
        if account.code in seen:
            problems.append(f"{where}.code: {account.code!r} is listed twice")
        seen.add(account.code)
        if account.group is not None and len(account.group) > ACCOUNT_GROUP:
            problems.append(f"{where}.group: must be at most {ACCOUNT_GROUP} characters")
    if chart.vat is not None:
        for side in ("input", "output"):
            missing = [code for code in getattr(chart.vat, side) if code not in seen]
            if missing:  # a VAT chart names its own VAT accounts
                problems.append(f"vat.{side}: {', '.join(missing)} are not accounts of this chart")
    return problems


def _read(filename: str) -> ChartFile:
    source = resources.files("bo_saas.bookkeeping").joinpath("charts", filename)
    try:
        chart = ChartFile.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise InvalidChart(f"The chart template charts/{filename} cannot be read: {exc}") from None
    problems = _problems(chart)
    if chart.code != filename.removesuffix(".toml"):
        problems.append(f"code: {chart.code!r} must be the file's name")
    if problems:
        raise InvalidChart(f"The chart template charts/{filename} has problems", extra={"problems": problems})
    return chart


@cache
def charts() -> dict[str, Chart]:
    """Every template shipped in ``charts/``, by code, each with the accounts of what it extends."""
    files = {
        chart.code: chart
        for chart in (
            _read(entry.name)
            for entry in resources.files("bo_saas.bookkeeping").joinpath("charts").iterdir()
            if entry.name.endswith(".toml")
        )
    }
    resolved = {}
    for code, chart in files.items():
        accounts = {account.code: account for account in chart.accounts}
        vat = chart.vat
        parent, visited = chart.extends, {code}
        while parent is not None:  # templates are few and reviewed; a loop of extends is a packaging mistake
            if parent not in files or parent in visited:
                raise InvalidChart(f"The chart template {code} extends {parent!r}, which is not a usable template")
            accounts = {account.code: account for account in files[parent].accounts} | accounts
            vat = vat or files[parent].vat
            visited.add(parent)
            parent = files[parent].extends
        ordered = tuple(sorted(accounts.values(), key=lambda account: account.code))
        resolved[code] = Chart(code=code, name=chart.name, accounts=ordered, vat=vat)
    return resolved


def chart_codes() -> list[str]:
    return sorted(charts())


def chart(code: str) -> Chart:
    found = charts().get(code)
    if found is None:
        raise InvalidChart(f"No chart template {code!r}; choose one of {', '.join(chart_codes())}")
    return found
