"""What the Data entry desk's tests share: a schema on the desk's tenant, files to send, and running the import."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from uuid import UUID
from xml.sax.saxutils import escape

from bo_saas.dataentry.importing import import_batch
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.storage import storage_for

CONTACTS = {
    "code": "contacts",
    "name": "Supplier contacts",
    "chunk_size": 2,
    "fields": [
        {"name": "full_name", "label": "Full name", "type": "text", "required": True},
        {"name": "age", "type": "integer", "min": 0, "max": 130},
        {"name": "email", "label": "E-mail", "type": "email", "unique": True},
        {"name": "balance", "type": "decimal"},
    ],
}


async def a_schema(client, desk, definition: dict[str, Any] = CONTACTS) -> dict:
    answer = await client.post("/api/v1/data-entry/schemas", json=definition, headers=desk.as_("admin"))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def send(client, desk, filename: str, content: bytes, *, schema: str = "contacts", who: str = "admin"):
    return await client.post(
        "/api/v1/data-entry/batches",
        data={"schema": schema},
        files={"file": (filename, content, "application/octet-stream")},
        headers=desk.as_(who),
    )


async def run_import(app, runtime_sessionmaker, tenant_id: UUID, batch_id: str) -> None:
    """What the worker's actor does for the batch, in this process."""
    await wait_for_relays()
    await import_batch(runtime_sessionmaker, storage_for(app.state.settings), tenant_id, UUID(batch_id))


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A minimal XLSX workbook (one sheet, inline strings and numbers), as Excel would read it."""

    def cell(value: Any) -> str:
        if isinstance(value, int | float):
            return f"<c><v>{value}</v></c>"
        return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    sheet_rows = "".join(f"<row>{''.join(cell(v) for v in row)}</row>" for row in rows)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Rows" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData>'
            "</worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOUBLE_KEYED = {**CONTACTS, "code": "invoices", "name": "Invoices, double keyed", "double_key": True}


async def a_double_keyed_batch(client, app, runtime_sessionmaker, desk, rows: list[list[str]]) -> tuple[str, list]:
    """A batch of ``rows`` (name, age, email) for the double-keyed schema, imported; (batch id, its records)."""
    await a_schema(client, desk, DOUBLE_KEYED)
    content = csv_bytes([["Full name", "Age", "E-mail"], *rows])
    sent = await send(client, desk, "invoices.csv", content, schema="invoices")
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    page = await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}/records", headers=desk.as_("agent"))
    return sent.json()["id"], page.json()["items"]


async def key(client, desk, record_id: str, who: str, values: dict):
    return await client.put(f"/api/v1/data-entry/records/{record_id}", json={"values": values}, headers=desk.as_(who))
