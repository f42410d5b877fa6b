"""What the documents-to-book and period-close tests share: files to send, and moving their work items."""

from __future__ import annotations

from fpdf import FPDF

from tests.bookkeeping.helpers import books_headers

DOCUMENTS = "/api/v1/books/documents"
CLOSES = "/api/v1/books/closes"
ITEMS = "/api/v1/work-items"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def bill_pdf(text: str = "Bill 42: office chairs, 1,190.00") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=20)
    pdf.cell(text=text)
    return bytes(pdf.output())


# Made once: fpdf stamps the time into each PDF, and the same file must stay the same bytes.
BILL = bill_pdf()


async def send(client, desk, who: str = "member", *, name: str = "bill.pdf", data: bytes | None = None,
               kind: str = "bill", note: str = ""):  # fmt: skip
    return await client.post(
        DOCUMENTS,
        data={"kind": kind, "note": note},
        files={"file": (name, BILL if data is None else data, "application/pdf")},
        headers=books_headers(desk, who),
    )


async def sent(client, desk, **kwargs) -> dict:
    answer = await send(client, desk, **kwargs)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def claim(client, desk, item_id: str, who: str = "agent") -> None:
    answer = await client.put(f"{ITEMS}/{item_id}/assignee", json={"assignee_id": str(getattr(desk, who).id)},
                               headers=desk.as_("provider_admin") | {"X-Tenant": str(desk.tenant.id)})  # fmt: skip
    assert answer.status_code == 200, answer.text


async def move(client, desk, item_id: str, to: str, who: str = "agent"):
    return await client.post(f"{ITEMS}/{item_id}/transitions", json={"to": to}, headers=desk.as_(who))


def booking(amount: int = 119000, day: str = "2026-03-10") -> dict:
    return {
        "date": day,
        "memo": "Office chairs",
        "lines": [
            {"account": "5000", "debit": amount, "credit": 0, "description": "chairs"},
            {"account": "2000", "debit": 0, "credit": amount, "description": "payable"},
        ],
    }


async def complete_close_checklist(client, desk, month: str) -> dict:
    """Start the month's close and tick every check, so the period may be closed."""
    close = await client.post(CLOSES, json={"period": month}, headers=books_headers(desk, "agent"))
    assert close.status_code in (200, 201), close.text
    for check in close.json()["checks"]:
        ticked = await client.put(
            f"{CLOSES}/{close.json()['id']}/checks/{check['code']}", json={"done": True},
            headers=books_headers(desk, "agent"),
        )  # fmt: skip
        assert ticked.status_code == 200, ticked.text
    return ticked.json()
