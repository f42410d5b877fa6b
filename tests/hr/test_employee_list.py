"""The employee list's one-statement path: totals past the last page, literal search, unmasked rows opened."""

from __future__ import annotations

from tests.hr.helpers import EMPLOYEES, IBAN, add_employee, hr_tenant


async def test_a_page_past_the_end_still_tells_the_filtered_total(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    for number, department in (("E001", "Sales"), ("E002", "Finance"), ("E003", "Finance")):
        await add_employee(client, hr.admin, number, department=department)

    beyond = (await client.get(EMPLOYEES, params={"department": "Finance", "offset": 5}, headers=hr.member)).json()

    assert (beyond["items"], beyond["total"]) == ([], 2)


async def test_a_search_takes_like_wildcards_literally(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    await add_employee(client, hr.admin, "E001", name="Ali 100% Hassan")
    await add_employee(client, hr.admin, "E002", name="Sara Ali")

    percent = (await client.get(EMPLOYEES, params={"search": "0%"}, headers=hr.member)).json()
    underscore = (await client.get(EMPLOYEES, params={"search": "_"}, headers=hr.member)).json()

    assert [row["employee_number"] for row in percent["items"]] == ["E001"]
    assert underscore["total"] == 0


async def test_an_unmasked_page_shows_each_rows_own_personal_data_and_a_row_without_any_as_nulls(
    app, client, admin_session
):
    hr = await hr_tenant(app, admin_session)
    await add_employee(client, hr.admin, "E001")
    await add_employee(client, hr.admin, "E002", personal=None)

    rows = (await client.get(EMPLOYEES, headers=hr.hr_agent)).json()["items"]

    assert [row["personal"]["iban"] for row in rows] == [IBAN, None]
    assert rows[0]["status"] == "active"
