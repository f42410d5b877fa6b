/**
 * The Data entry desk's server state. Every key starts with ["data-entry", tenant] so a change in
 * one tenant's batches refreshes what the screens show of it. A client's requests go to their own
 * tenant; staff name the item's tenant with X-Tenant.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { useItem } from "../items/itemQueries";
import { candidateBatches, chunkRefOf, chunkWindow } from "./chunk";
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
  batch: Batch;
  schema: RecordSchema;
  fields: ReturnType<typeof fieldsOf>;
  records: DataRecord[];
  number: number;
  count: number;
}

export const chunkKey = (itemId: string) => ["data-entry", "chunk", itemId] as const;

/** The chunk behind a work item (null: the item is not a batch's chunk). See chunk.ts for how it is found. */
export function useChunk(itemId: string) {
  const item = useItem(itemId);
  const chunk = useQuery({
    queryKey: chunkKey(itemId),
    enabled: item.data !== undefined,
    staleTime: Infinity, // the workspace keeps its own copy of each save's answer
    queryFn: async (): Promise<Chunk | null> => {
      const workItem = item.data!;
      const ref = chunkRefOf(workItem.payload);
      if (!ref) return null;
      const tenant = forTenant(workItem.tenant_id);
      const batches = await unwrap(
        api.GET("/api/v1/data-entry/batches", { params: { query: { limit: LARGEST_PAGE } }, ...tenant }),
      );
      for (const batch of candidateBatches(batches.items, ref, workItem.created_at)) {
        const schema = await unwrap(
          api.GET("/api/v1/data-entry/schemas/{schema_id}", { params: { path: { schema_id: batch.schema_id } }, ...tenant }),
        );
        const window = chunkWindow(ref, schema.chunk_size);
        const records: DataRecord[] = [];
        while (records.length < window.limit) {
          const page = await unwrap(
            api.GET("/api/v1/data-entry/batches/{batch_id}/records", {
              params: {
                path: { batch_id: batch.id },
                query: { offset: window.offset + records.length, limit: Math.min(LARGEST_PAGE, window.limit - records.length) },
              },
              ...tenant,
            }),
          );
          records.push(...page.items);
          if (page.items.length === 0) break;
        }
        if (records.length && records.every((record) => record.chunk_number === ref.number)) {
          return { tenantId: workItem.tenant_id, batch, schema, fields: fieldsOf(schema), records, number: ref.number, count: ref.count };
        }
      }
      return null;
    },
  });
  return { item, chunk };
}
