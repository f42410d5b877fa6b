"""Files on work items: bytes come back as sent, bad files are refused before they are kept, tenants stay apart."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import set_scope
from bo_saas.lib.storage import InvalidStorageKey, LocalFileStorage, StoredFileMissing, new_storage_key, storage_for
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import TenantStatus
from bo_saas.work.attachments import StoredFile, add_attachment, clean_filename, readable_size
from bo_saas.work.models import Attachment, WorkState
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user
from tests.work.helpers import work_item

PDF = b"%PDF-1.7\n" + os.urandom(3000) + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(200)
MIB = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Office:
    app: Any
    tenant: Any
    admin: Any
    member: Any
    other_member: Any
    agent: Any
    item: Any  # asked for by member

    def as_(self, who: str) -> dict[str, str]:
        person = getattr(self, who)
        if who == "agent":
            return bearer(self.app, person, Role.PROVIDER_AGENT)
        role = Role.CLIENT_ADMIN if who == "admin" else Role.CLIENT_MEMBER
        return bearer(self.app, person, role, tenant_id=self.tenant.id)

    @property
    def url(self) -> str:
        return f"/api/v1/work-items/{self.item.id}/attachments"


async def _office(app, session) -> Office:
    tenant = TenantFactory()
    await save(session, tenant)
    admin = await client_user(session, tenant, Role.CLIENT_ADMIN)
    member = await client_user(session, tenant, Role.CLIENT_MEMBER)
    other_member = await client_user(session, tenant, Role.CLIENT_MEMBER)
    agent = await staff_user(session, Role.PROVIDER_AGENT, tenants=(tenant,))
    item = await work_item(session, tenant, requester_id=member.id)
    return Office(app, tenant, admin, member, other_member, agent, item)


@pytest.fixture
async def office(app, admin_session) -> Office:
    return await _office(app, admin_session)


@pytest.fixture
def storage(settings) -> LocalFileStorage:
    return storage_for(settings)


async def _upload(client, office: Office, who: str, name: str, content, content_type: str, **fields):
    return await client.post(
        office.url, files={"file": (name, content, content_type)}, data=fields or None, headers=office.as_(who)
    )


async def _rows(session, tenant_id: UUID) -> list[Attachment]:
    rows = (await session.execute(select(Attachment).where(Attachment.tenant_id == tenant_id))).scalars().all()
    await session.commit()
    return list(rows)


def _files_of(storage: LocalFileStorage, tenant_id: UUID) -> list[Path]:
    folder = storage.root / str(tenant_id)
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_upload_list_download_round_trip_keeps_the_bytes(client, office, admin_session, storage):
    uploaded = await _upload(client, office, "member", "November invoices.pdf", PDF, "application/pdf")

    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["size_bytes"] == len(PDF)
    assert body["filename"] == "November invoices.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["work_item_id"] == str(office.item.id) and body["uploaded_by"] == str(office.member.id)
    assert body["internal"] is False

    listed = await client.get(office.url, headers=office.as_("admin"))
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 1 and [a["id"] for a in listed.json()["items"]] == [body["id"]]

    download = await client.get(f"{office.url}/{body['id']}", headers=office.as_("agent"))
    assert download.status_code == 200, download.text
    assert download.content == PDF
    assert hashlib.sha256(download.content).hexdigest() == body["sha256"]
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["content-length"] == str(len(PDF))
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"November invoices.pdf\"; filename*=UTF-8''November%20invoices.pdf"
    )

    (row,) = await _rows(admin_session, office.tenant.id)
    path = storage.path_for(row.storage_key)
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    events = (await admin_session.execute(select(AuditEvent).where(AuditEvent.action == "attachment.uploaded"))).all()
    assert [e.subject_id for (e,) in events] == [body["id"]]


async def test_list_is_newest_first_and_paginated(client, office):
    for name in ("first.csv", "second.csv", "third.csv"):
        response = await _upload(client, office, "member", name, b"a,b\n1,2\n", "text/csv")
        assert response.status_code == 201, response.text

    page = await client.get(office.url, params={"limit": 2, "offset": 0}, headers=office.as_("member"))

    assert page.json()["total"] == 3 and page.json()["limit"] == 2 and page.json()["offset"] == 0
    assert [a["filename"] for a in page.json()["items"]] == ["third.csv", "second.csv"]


async def test_a_file_above_litestars_default_body_limit_but_within_ours_is_accepted(client, office):
    content = PDF + os.urandom(12 * MIB)  # Litestar refuses bodies over 10 MB unless a route says otherwise

    uploaded = await _upload(client, office, "member", "scan.pdf", io.BytesIO(content), "application/pdf")

    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["sha256"] == hashlib.sha256(content).hexdigest()


async def test_a_hostile_filename_is_kept_only_as_a_cleaned_display_name(client, office, admin_session, storage):
    hostile = "../../etc/pass\x1bwd\u202etxt.exe"

    uploaded = await _upload(client, office, "member", hostile, b"plain words\n", "text/plain")

    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["filename"] == "passwdtxt.exe"
    (row,) = await _rows(admin_session, office.tenant.id)
    assert row.storage_key.startswith(f"{office.tenant.id}/") and "passwd" not in row.storage_key
    stored = storage.path_for(row.storage_key)
    assert stored.is_relative_to(storage.root) and stored.read_bytes() == b"plain words\n"
    assert [p.name for p in storage.root.rglob("*") if "passwd" in p.name] == []
    download = await client.get(f"{office.url}/{row.id}", headers=office.as_("member"))
    assert download.headers["content-disposition"].startswith('attachment; filename="passwdtxt.exe"')


def test_clean_filename_strips_folders_and_control_characters_and_keeps_the_extension():
    assert clean_filename("C:\\Users\\me\\report.pdf") == "report.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\x07c\x7f.txt") == "abc.txt"
    assert clean_filename("..") == "file" and clean_filename("  ") == "file" and clean_filename(None) == "file"
    assert clean_filename("dir/") == "file"
    long = clean_filename("x" * 400 + ".xlsx")
    assert len(long) == 255 and long.endswith(".xlsx")
    assert clean_filename("Fatura-\u0661\u0662.pdf") == "Fatura-\u0661\u0662.pdf"  # non-ASCII names stay


async def test_a_too_large_file_is_refused_with_413_and_nothing_is_kept(
    client, settings, office, admin_session, storage
):
    limit = settings.attachment_max_bytes
    streamed_over = io.BytesIO(PDF + b"\0" * (limit + 1 - len(PDF)))  # within the body allowance: caught streaming
    announced_over = io.BytesIO(PDF + b"\0" * (limit + MIB))  # Content-Length alone says too large

    for content in (streamed_over, announced_over):
        refused = await _upload(client, office, "member", "huge.pdf", content, "application/pdf")
        assert refused.status_code == 413, refused.text
        assert refused.json()["detail"] == "The file is larger than the 25 MB limit for attachments"

    assert await _rows(admin_session, office.tenant.id) == []
    assert _files_of(storage, office.tenant.id) == []  # no half-written temporary file either


async def test_a_type_not_allowed_is_refused_with_415_naming_the_allowed_types(client, office, admin_session):
    refused = await _upload(client, office, "member", "setup.exe", b"MZ\x90\x00", "application/x-msdownload")

    assert refused.status_code == 415, refused.text
    assert "application/pdf" in refused.json()["detail"]
    assert "image/png" in refused.json()["extra"]["allowed"]
    assert await _rows(admin_session, office.tenant.id) == []


async def test_content_that_is_not_the_declared_type_is_refused(client, office, admin_session, storage):
    as_png = await _upload(client, office, "member", "photo.png", PDF, "image/png")
    as_pdf = await _upload(client, office, "member", "doc.pdf", PNG, "application/pdf")
    as_xlsx = await _upload(client, office, "member", "sheet.xlsx", b"col1,col2\n", XLSX)

    for refused in (as_png, as_pdf, as_xlsx):
        assert refused.status_code == 415, refused.text
    assert "image/png" in as_png.json()["detail"]
    assert await _rows(admin_session, office.tenant.id) == []
    assert _files_of(storage, office.tenant.id) == []


async def test_signed_types_with_their_signature_are_accepted(client, office):
    samples = [
        ("photo.png", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + os.urandom(64), "image/jpeg"),
        ("anim.gif", b"GIF89a" + os.urandom(32), "image/gif"),
        ("pic.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + os.urandom(32), "image/webp"),
        ("sheet.xlsx", b"PK\x03\x04" + os.urandom(64), XLSX),
    ]
    for name, content, content_type in samples:
        response = await _upload(client, office, "member", name, content, content_type)
        assert response.status_code == 201, f"{name}: {response.text}"


async def test_an_empty_file_or_a_missing_file_field_is_a_bad_request(client, office):
    empty = await _upload(client, office, "member", "empty.csv", b"", "text/csv")
    no_file = await client.post(office.url, files={"internal": (None, "false")}, headers=office.as_("member"))
    not_multipart = await client.post(office.url, json={"file": "x"}, headers=office.as_("member"))

    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
    assert no_file.status_code == 400 and "file" in no_file.json()["detail"]
    assert not_multipart.status_code == 415


async def test_a_member_cannot_reach_another_members_item_files(client, office):
    uploaded = await _upload(client, office, "member", "mine.pdf", PDF, "application/pdf")
    attachment_id = uploaded.json()["id"]

    listed = await client.get(office.url, headers=office.as_("other_member"))
    fetched = await client.get(f"{office.url}/{attachment_id}", headers=office.as_("other_member"))
    added = await _upload(client, office, "other_member", "sneaky.pdf", PDF, "application/pdf")

    assert (listed.status_code, fetched.status_code, added.status_code) == (404, 404, 404)
    assert attachment_id not in listed.text + fetched.text


async def test_internal_files_are_for_staff_only(client, office, admin_session, storage):
    staff_file = await _upload(client, office, "agent", "checklist.pdf", PDF, "application/pdf", internal="true")
    assert staff_file.status_code == 201, staff_file.text
    assert staff_file.json()["internal"] is True
    internal_id = staff_file.json()["id"]

    client_list = await client.get(office.url, headers=office.as_("admin"))
    client_fetch = await client.get(f"{office.url}/{internal_id}", headers=office.as_("admin"))
    staff_list = await client.get(office.url, headers=office.as_("agent"))
    client_internal = await _upload(client, office, "admin", "x.pdf", PDF, "application/pdf", internal="true")

    assert client_list.json()["total"] == 0 and internal_id not in client_list.text
    assert client_fetch.status_code == 404
    assert [a["id"] for a in staff_list.json()["items"]] == [internal_id]
    assert client_internal.status_code == 403, client_internal.text
    assert [row.id for row in await _rows(admin_session, office.tenant.id)] == [UUID(internal_id)]
    assert len(_files_of(storage, office.tenant.id)) == 1


async def test_another_tenants_ids_answer_404(app, client, office, admin_session):
    uploaded = await _upload(client, office, "member", "mine.pdf", PDF, "application/pdf")
    attachment_id = uploaded.json()["id"]
    elsewhere = await _office(app, admin_session)
    theirs = await _upload(client, elsewhere, "member", "theirs.pdf", PDF, "application/pdf")

    # Tenant B's admin aims at tenant A's item and file, and at its own item with A's file id.
    direct = await client.get(f"{office.url}/{attachment_id}", headers=elsewhere.as_("admin"))
    listed = await client.get(office.url, headers=elsewhere.as_("admin"))
    mixed = await client.get(f"{elsewhere.url}/{attachment_id}", headers=elsewhere.as_("admin"))
    upload = await _upload(client, elsewhere, "admin", "x.pdf", PDF, "application/pdf")
    into_a = await client.post(
        office.url, files={"file": ("x.pdf", PDF, "application/pdf")}, headers=elsewhere.as_("admin")
    )

    assert (direct.status_code, listed.status_code, mixed.status_code, into_a.status_code) == (404, 404, 404, 404)
    assert upload.status_code == 201  # its own item still works
    assert attachment_id not in direct.text + listed.text + mixed.text
    assert theirs.json()["id"] not in (await client.get(office.url, headers=office.as_("admin"))).text


@pytest.mark.parametrize("state", [WorkState.REJECTED, WorkState.CANCELLED])
async def test_a_closed_item_takes_no_more_files(client, office, admin_session, storage, state):
    office.item.state = state
    await save(admin_session, office.item)

    refused = await _upload(client, office, "member", "late.pdf", PDF, "application/pdf")

    assert refused.status_code == 409, refused.text
    assert _files_of(storage, office.tenant.id) == []


async def test_a_suspended_tenants_client_may_read_files_but_not_add_them(client, office, admin_session):
    kept = await _upload(client, office, "member", "before.pdf", PDF, "application/pdf")
    office.tenant.status = TenantStatus.SUSPENDED
    await save(admin_session, office.tenant)

    refused = await _upload(client, office, "member", "after.pdf", PDF, "application/pdf")
    readable = await client.get(f"{office.url}/{kept.json()['id']}", headers=office.as_("member"))

    assert refused.status_code == 403, refused.text
    assert "suspended" in refused.json()["detail"]
    assert readable.status_code == 200 and readable.content == PDF


async def test_a_stored_file_is_deleted_when_its_row_cannot_be_written(office, runtime_sessionmaker, storage):
    key = new_storage_key(office.tenant.id)
    await storage.save(key, PDF)
    office.item.id = uuid4()  # an item that does not exist: the foreign key refuses the row
    caller = Caller(role=Role.CLIENT_ADMIN, account_id=office.admin.id, tenant_id=office.tenant.id)

    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(office.tenant.id))
        with pytest.raises(Exception, match="foreign key"):
            await add_attachment(
                session,
                None,
                caller,
                office.item,
                storage=storage,
                key=key,
                filename="lost.pdf",
                content_type="application/pdf",
                stored=StoredFile(size_bytes=len(PDF), sha256=hashlib.sha256(PDF).hexdigest()),
                internal=False,
            )

    assert not await storage.exists(key)


async def test_local_storage_refuses_keys_it_did_not_make(tmp_path):
    storage = LocalFileStorage(tmp_path / "files")
    tenant = uuid4()
    for key in (
        f"{tenant}/../../etc/passwd",
        "../outside",
        f"{tenant}/..",
        "/etc/passwd",
        f"{tenant}/{uuid4().hex}/extra",
        f"{tenant}/{uuid4().hex.upper()}",
        "",
    ):
        with pytest.raises(InvalidStorageKey):
            await storage.save(key, b"x")
        with pytest.raises(InvalidStorageKey):
            await storage.open(key)
    assert not (tmp_path / "files").exists()


async def test_local_storage_keeps_a_file_whole_or_not_at_all(tmp_path):
    storage = LocalFileStorage(tmp_path / "files")
    key, broken_key = new_storage_key(uuid4()), new_storage_key(uuid4())

    async def chunks():
        for _ in range(3):
            yield os.urandom(700 * 1024)

    async def failing():
        yield b"partial " * 200_000
        raise RuntimeError("client went away")

    await storage.save(key, chunks())
    with pytest.raises(RuntimeError):
        await storage.save(broken_key, failing())

    assert await storage.exists(key) and not await storage.exists(broken_key)
    assert len(b"".join([c async for c in await storage.open(key)])) == 3 * 700 * 1024
    assert list((tmp_path / "files" / broken_key.split("/")[0]).iterdir()) == []
    await storage.delete(key)
    await storage.delete(key)  # deleting twice is fine
    with pytest.raises(StoredFileMissing):
        await storage.open(key)


@pytest.mark.parametrize(
    ("size", "shown"),
    [(500, "500 bytes"), (1536, "1.5 KB"), (300 * 1024, "300 KB"), (25 * 1024**2, "25 MB"), (10_000_000, "9.5 MB")],
)
def test_attachment_limits_are_said_in_kb_and_mb(size, shown):
    assert readable_size(size) == shown
