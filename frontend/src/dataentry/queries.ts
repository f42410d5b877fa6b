/**
 * The Data entry desk's server state. Every key starts with ["data-entry", tenant] so a change in
 * one tenant's batches refreshes what the screens show of it. A client's requests go to their own
 * tenant; staff name the item's tenant with X-Tenant.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { useItem } from "../items/itemQueries";
import { fieldsOf } from "./records";

export type Batch = Schemas["BatchOut"];
export type BatchDetail = Schemas["BatchDetailOut"];
export type DataRecord = Schemas["RecordOut"];
export type RecordSchema = Schemas["SchemaOut"];

// The API's largest page: a chunk of up to 1000 records is read in pages of this size.
const LARGEST_PAGE = 200;
const WATCH_MS = 2000;

export const dataEntryKey = (tenantId: string | null) => ["data-entry", tenantId ?? "own"] as const;

export function useBatches(limit: number, offset: number) {
  return useQuery({
    queryKey: [...dataEntryKey(null), "batches", limit, offset],
    queryFn: () => unwrap(api.GET("/api/v1/data-entry/batches", { params: { query: { limit, offset } } })),
    placeholderData: keepPreviousData,
    // An import in progress moves its counts: look again until none is importing.
    refetchInterval: (query) => (query.state.data?.items.some((batch) => batch.status === "importing") ? WATCH_MS : false),
  });
}

export function useBatch(batchId: string) {
  return useQuery({
    queryKey: [...dataEntryKey(null), "batch", batchId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/data-entry/batches/{batch_id}", { params: { path: { batch_id: batchId } } })),
    refetchInterval: (query) => (query.state.data?.status === "importing" ? WATCH_MS : false),
  });
}

export function useBatchRecords(batchId: string, limit: number, offset: number, withProblems: boolean, status: string) {
  const importing = status === "importing";
  return useQuery({
    // With the batch's status: the import's last rows are read once it has finished.
    queryKey: [...dataEntryKey(null), "batch", batchId, "records", limit, offset, withProblems, status],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/data-entry/batches/{batch_id}/records", {
          params: { path: { batch_id: batchId }, query: { limit, offset, with_problems: withProblems ? true : undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: importing ? WATCH_MS : false,
  });
}

export function useSchemas() {
  return useQuery({
    queryKey: [...dataEntryKey(null), "schemas"],
    queryFn: () => unwrap(api.GET("/api/v1/data-entry/schemas", { params: { query: { limit: LARGEST_PAGE } } })),
  });
}

/** What the keying workspace works on: the chunk's batch, its schema's fields, and its records in row order. */
export interface Chunk {
  tenantId: string;
  batch: BatchDetail;
  schema: RecordSchema;
  fields: ReturnType<typeof fieldsOf>;
  records: DataRecord[];
  number: number;
  count: number;
}

type Tenant = ReturnType<typeof forTenant>;

const chunkRecords = (itemId: string, offset: number, limit: number, tenant: Tenant) =>
  unwrap(api.GET("/api/v1/data-entry/records", { params: { query: { work_item: itemId, offset, limit } }, ...tenant }));

const batchOf = (batchId: string, tenant: Tenant) =>
  unwrap(api.GET("/api/v1/data-entry/batches/{batch_id}", { params: { path: { batch_id: batchId } }, ...tenant }));

/** The chunk behind a work item, read whole (null: the item is not a batch's chunk). */
export function useChunk(itemId: string) {
  const item = useItem(itemId);
  const chunk = useQuery({
    queryKey: ["data-entry", "chunk", itemId],
    enabled: item.data !== undefined,
    // The workspace keeps its own copy of each save's answer; opened again, it reads the chunk afresh.
    gcTime: 0,
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<Chunk | null> => {
      const workItem = item.data!;
      const tenant = forTenant(workItem.tenant_id);
      const records: DataRecord[] = [];
      let total = 1;
      while (records.length < total) {
        const page = await chunkRecords(itemId, records.length, LARGEST_PAGE, tenant);
        records.push(...page.items);
        total = page.items.length ? page.total : records.length;
      }
      if (!records.length) return null;
      const batch = await batchOf(records[0].batch_id, tenant);
      const schema = await unwrap(
        api.GET("/api/v1/data-entry/schemas/{schema_id}", { params: { path: { schema_id: batch.schema_id } }, ...tenant }),
      );
      const count = batch.counts.chunks;
      return { tenantId: workItem.tenant_id, batch, schema, fields: fieldsOf(schema), records, number: records[0].chunk_number, count };
    },
  });
  return { item, chunk };
}

/** Which chunk of which batch a work item is, for the item page (null: not a batch's chunk). */
export function useChunkRef(itemId: string, tenantId: string) {
  return useQuery({
    queryKey: ["data-entry", "chunk-ref", itemId],
    queryFn: async () => {
      const tenant = forTenant(tenantId);
      const first = await chunkRecords(itemId, 0, 1, tenant);
      if (!first.items.length) return null;
      const batch = await batchOf(first.items[0].batch_id, tenant);
      return { number: first.items[0].chunk_number, count: batch.counts.chunks, records: first.total };
    },
  });
}

export type Adjudication = Schemas["AdjudicationOut"];

export const adjudicationKey = ["data-entry", "adjudication"] as const;

/** The records waiting for an adjudicator, across the tenants the caller serves. */
export function useRecordsInAdjudication(limit: number, offset: number) {
  return useQuery({
    queryKey: [...adjudicationKey, "list", limit, offset],
    queryFn: () =>
      unwrap(api.GET("/api/v1/data-entry/records", { params: { query: { status: "in_adjudication", limit, offset } } })),
    placeholderData: keepPreviousData,
  });
}

/** The batches the caller sees, by id: what the staff screens name a record's batch by. */
export function useBatchNames() {
  return useQuery({
    queryKey: ["data-entry", "batch-names"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/v1/data-entry/batches", { params: { query: { limit: LARGEST_PAGE } } }));
      return new Map(page.items.map((batch) => [batch.id, batch]));
    },
  });
}

/** What an adjudicator decides a record on: the record (its tenant, document), its schema, both passes. */
export function useAdjudication(recordId: string) {
  return useQuery({
    queryKey: [...adjudicationKey, "record", recordId],
    retry: false, // a 403 (the caller keyed it) or 409 (settled already) is the answer, not a hiccup
    refetchOnWindowFocus: false,
    gcTime: 0, // settled, it is not shown again from the cache
    queryFn: async () => {
      const record = await unwrap(
        api.GET("/api/v1/data-entry/records/{record_id}", { params: { path: { record_id: recordId } } }),
      );
      const tenant = forTenant(record.tenant_id);
      const batch = await batchOf(record.batch_id, tenant);
      const [schema, passes] = await Promise.all([
        unwrap(api.GET("/api/v1/data-entry/schemas/{schema_id}", { params: { path: { schema_id: batch.schema_id } }, ...tenant })),
        unwrap(api.GET("/api/v1/data-entry/records/{record_id}/adjudication", { params: { path: { record_id: recordId } }, ...tenant })),
      ]);
      return { record, batch, fields: fieldsOf(schema), passes };
    },
  });
}

/** Double keying's accuracy per agent, agreement per field and per batch (provider staff). */
export function useAccuracy() {
  return useQuery({
    queryKey: ["data-entry", "accuracy"],
    queryFn: () => unwrap(api.GET("/api/v1/data-entry/accuracy")),
  });
}

/** A batch's report: records by status, rejected rows and why, accuracy, agreement, turnaround. */
export function useBatchReport(batchId: string, status: string) {
  return useQuery({
    queryKey: [...dataEntryKey(null), "batch", batchId, "report", status],
    queryFn: () =>
      unwrap(api.GET("/api/v1/data-entry/batches/{batch_id}/report", { params: { path: { batch_id: batchId } } })),
  });
}

/** One schema version (it never changes once made). */
export function useSchema(schemaId: string) {
  return useQuery({
    queryKey: [...dataEntryKey(null), "schema", schemaId],
    queryFn: () => unwrap(api.GET("/api/v1/data-entry/schemas/{schema_id}", { params: { path: { schema_id: schemaId } } })),
    staleTime: Infinity,
  });
}
