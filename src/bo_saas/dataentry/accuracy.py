"""Double keying's measures: each keyer against the accepted values, and how often the two passes agree.

- Accuracy of a keyer: of the fields they keyed on records since accepted, how
  many differ from the accepted value. ``error_rate`` is that ratio (fields
  differing / fields keyed), ``accuracy`` its complement.
- Agreement: of the records with both passes in (accepted or still in
  adjudication), how many fields the two passes keyed alike; per field and per
  batch.

Computed from the passes and records in SQL, under the caller's tenant scope:
an agent measures only the tenants they serve. Single-keyed schemas have no
passes; their quality is QA sampling's (``reports``).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.schemas import AccuracyOut, AgentAccuracy, BatchAgreement, FieldAgreement

# Each pass's fields against the accepted record's (jsonb equality: 44 and 44.0 are alike).
_BY_KEYER = """
SELECT k.keyer_id, coalesce(a.name, '') AS name, count(DISTINCT k.record_id) AS records,
       count(*) AS fields_keyed, count(*) FILTER (WHERE kv.value IS DISTINCT FROM r.values -> kv.key) AS differing
FROM data_entry_keyings k
JOIN data_entry_records r ON r.tenant_id = k.tenant_id AND r.id = k.record_id
CROSS JOIN LATERAL jsonb_each(k.values) AS kv
LEFT JOIN accounts a ON a.id = k.keyer_id
WHERE r.status = 'accepted' AND (CAST(:batch_id AS uuid) IS NULL OR r.batch_id = :batch_id)
GROUP BY k.keyer_id, a.name
ORDER BY a.name, k.keyer_id
"""

# Pass 1 against pass 2, one row per field of every record with both passes in.
_COMPARED = """
FROM data_entry_keyings k1
JOIN data_entry_keyings k2 ON k2.tenant_id = k1.tenant_id AND k2.record_id = k1.record_id AND k2.pass_number = 2
JOIN data_entry_records r ON r.tenant_id = k1.tenant_id AND r.id = k1.record_id
CROSS JOIN LATERAL jsonb_each(k1.values) AS kv
WHERE k1.pass_number = 1 AND (CAST(:batch_id AS uuid) IS NULL OR r.batch_id = :batch_id)
"""
_AGREED = "count(*) FILTER (WHERE kv.value = k2.values -> kv.key)"
_BY_FIELD = f"SELECT kv.key, count(*), {_AGREED} {_COMPARED} GROUP BY kv.key ORDER BY kv.key"
_BY_BATCH = (
    f"SELECT r.batch_id, count(DISTINCT r.id), count(*), {_AGREED} {_COMPARED} GROUP BY r.batch_id ORDER BY r.batch_id"
)


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def complement(rate: float | None) -> float | None:
    return None if rate is None else round(1 - rate, 4)


async def agents_accuracy(session: AsyncSession, batch_id: UUID | None = None) -> list[AgentAccuracy]:
    rows = await session.execute(text(_BY_KEYER), {"batch_id": batch_id})
    return [
        AgentAccuracy(
            agent_id=keyer_id,
            name=name,
            records_keyed=records,
            fields_keyed=keyed,
            fields_differing=differing,
            error_rate=ratio(differing, keyed),
            accuracy=complement(ratio(differing, keyed)),
        )  # fmt: skip
        for keyer_id, name, records, keyed, differing in rows
    ]


async def fields_agreement(session: AsyncSession, batch_id: UUID | None = None) -> list[FieldAgreement]:
    rows = await session.execute(text(_BY_FIELD), {"batch_id": batch_id})
    return [
        FieldAgreement(field=name, compared=compared, agreed=agreed, agreement=ratio(agreed, compared))
        for name, compared, agreed in rows
    ]


async def batches_agreement(session: AsyncSession, batch_id: UUID | None = None) -> list[BatchAgreement]:
    rows = await session.execute(text(_BY_BATCH), {"batch_id": batch_id})
    return [
        BatchAgreement(
            batch_id=batch,
            records_compared=records,
            fields_compared=compared,
            fields_agreed=agreed,
            agreement=ratio(agreed, compared),
        )  # fmt: skip
        for batch, records, compared, agreed in rows
    ]


async def accuracy(session: AsyncSession, batch_id: UUID | None = None) -> AccuracyOut:
    return AccuracyOut(
        agents=await agents_accuracy(session, batch_id),
        batches=await batches_agreement(session, batch_id),
        fields=await fields_agreement(session, batch_id),
    )
