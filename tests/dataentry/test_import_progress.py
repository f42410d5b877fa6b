"""A batch's counts while it imports follow every committed block, however often the client looks."""

from __future__ import annotations

from bo_saas.dataentry import importing
from tests.dataentry.helpers import a_schema, csv_bytes, run_import, send

HEADER = ["Full name", "Age", "E-mail"]


async def test_an_importing_batchs_counts_move_with_each_committed_block_and_not_between(
    client, app, runtime_sessionmaker, desk, monkeypatch
):
    await a_schema(client, desk)
    rows = [[f"Person {n}", "x" if n % 4 == 0 else "30", f"p{n}@example.com"] for n in range(1, 26)]
    batch_id = (await send(client, desk, "progress.csv", csv_bytes([HEADER, *rows]))).json()["id"]
    monkeypatch.setattr(importing, "BLOCK_ROWS", 10)
    real_store = importing._store
    stored_blocks = 0

    async def stop_after(blocks: int):
        async def store(session, records):
            nonlocal stored_blocks
            if stored_blocks == blocks:
                raise ConnectionError("worker killed")
            stored_blocks += 1
            await real_store(session, records)

        return store

    async def counts() -> dict:
        answer = await client.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))
        return {key: answer.json()[key] for key in ("status", "rows_imported")} | answer.json()["counts"]

    seen = [await counts()]
    for blocks in (1, 2):
        monkeypatch.setattr(importing, "_store", await stop_after(blocks))
        try:
            await run_import(app, runtime_sessionmaker, desk.tenant.id, batch_id)
        except ConnectionError:
            pass
        seen += [await counts(), await counts()]
    monkeypatch.setattr(importing, "_store", real_store)
    await run_import(app, runtime_sessionmaker, desk.tenant.id, batch_id)
    seen.append(await counts())

    def expected(status: str, stored: int, chunks: int) -> dict:
        bad = stored // 4
        return {"status": status, "rows_imported": stored, "records": stored, "accepted": stored - bad,
                "with_problems": bad, "chunks": chunks, "chunks_done": 0}  # fmt: skip

    assert seen == [
        expected("importing", 0, 0),
        expected("importing", 10, 0), expected("importing", 10, 0),
        expected("importing", 20, 0), expected("importing", 20, 0),
        expected("ready", 25, 13),
    ]  # fmt: skip
